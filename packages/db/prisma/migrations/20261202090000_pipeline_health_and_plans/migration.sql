-- Pipeline health (route() metrics from SDKs), release plans with a guard, scheduled changes and the
-- webhook outbox. Counts are added to atomically (INSERT … ON CONFLICT DO UPDATE), so any number of
-- API processes can ingest at once; the scheduler claims work with FOR UPDATE SKIP LOCKED.

-- CreateEnum
CREATE TYPE "RoutePath" AS ENUM ('enabled', 'disabled');

-- CreateEnum
CREATE TYPE "ReleasePlanStatus" AS ENUM ('running', 'paused', 'completed', 'rolled_back', 'aborted');

-- CreateEnum
CREATE TYPE "GuardAction" AS ENUM ('kill', 'previous_step');

-- CreateEnum
CREATE TYPE "ScheduledAction" AS ENUM ('set_stage', 'set_rollout', 'kill', 'restore');

-- CreateEnum
CREATE TYPE "ScheduledChangeStatus" AS ENUM ('pending', 'done', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "route_metrics_minute" (
    "flag_key" TEXT NOT NULL,
    "path" "RoutePath" NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "calls" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "fallbacks" BIGINT NOT NULL DEFAULT 0,
    "latency_buckets" BIGINT[] NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "route_metrics_minute_pkey" PRIMARY KEY ("flag_key","path","minute")
);

-- CreateTable
CREATE TABLE "route_metrics_hourly" (
    "flag_key" TEXT NOT NULL,
    "path" "RoutePath" NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "calls" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "fallbacks" BIGINT NOT NULL DEFAULT 0,
    "latency_buckets" BIGINT[] NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "route_metrics_hourly_pkey" PRIMARY KEY ("flag_key","path","hour")
);

-- CreateTable
CREATE TABLE "release_plans" (
    "flag_key" TEXT NOT NULL,
    "steps" DOUBLE PRECISION[] NOT NULL,
    "min_step_seconds" INTEGER NOT NULL,
    "min_calls" INTEGER NOT NULL,
    "max_error_rate" DOUBLE PRECISION NOT NULL,
    "error_margin" DOUBLE PRECISION NOT NULL,
    "on_trip" "GuardAction" NOT NULL,
    "status" "ReleasePlanStatus" NOT NULL DEFAULT 'running',
    "current_step" INTEGER NOT NULL DEFAULT 0,
    "step_started_at" TIMESTAMP(3) NOT NULL,
    "last_check" JSONB,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "release_plans_pkey" PRIMARY KEY ("flag_key")
);

-- CreateTable
CREATE TABLE "scheduled_changes" (
    "id" SERIAL NOT NULL,
    "flag_key" TEXT NOT NULL,
    "action" "ScheduledAction" NOT NULL,
    "stage" "Stage",
    "rollout_percentage" DOUBLE PRECISION,
    "reason" TEXT NOT NULL,
    "run_at" TIMESTAMP(3) NOT NULL,
    "status" "ScheduledChangeStatus" NOT NULL DEFAULT 'pending',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "executed_at" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "scheduled_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" SERIAL NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMP(3),
    "last_error" TEXT,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "route_metrics_minute_minute_idx" ON "route_metrics_minute"("minute");

-- CreateIndex
CREATE INDEX "route_metrics_hourly_hour_idx" ON "route_metrics_hourly"("hour");

-- CreateIndex
CREATE INDEX "release_plans_status_idx" ON "release_plans"("status");

-- CreateIndex
CREATE INDEX "scheduled_changes_status_run_at_idx" ON "scheduled_changes"("status", "run_at");

-- CreateIndex
CREATE INDEX "scheduled_changes_flag_key_idx" ON "scheduled_changes"("flag_key");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "release_plans" ADD CONSTRAINT "release_plans_flag_key_fkey" FOREIGN KEY ("flag_key") REFERENCES "flags"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scheduled_changes" ADD CONSTRAINT "scheduled_changes_flag_key_fkey" FOREIGN KEY ("flag_key") REFERENCES "flags"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- The rules the API's zod schemas hold, held here too for rows written by any SQL client.
ALTER TABLE "route_metrics_minute" ADD CONSTRAINT "route_metrics_minute_latency_buckets_check" CHECK (cardinality("latency_buckets") = 13);
ALTER TABLE "route_metrics_hourly" ADD CONSTRAINT "route_metrics_hourly_latency_buckets_check" CHECK (cardinality("latency_buckets") = 13);
ALTER TABLE "release_plans" ADD CONSTRAINT "release_plans_steps_check" CHECK (
    cardinality("steps") BETWEEN 1 AND 20 AND "steps"[cardinality("steps")] = 100 AND 0 < ALL ("steps") AND 100 >= ALL ("steps")
);
ALTER TABLE "release_plans" ADD CONSTRAINT "release_plans_current_step_check" CHECK ("current_step" >= 0 AND "current_step" < cardinality("steps"));
ALTER TABLE "release_plans" ADD CONSTRAINT "release_plans_max_error_rate_check" CHECK ("max_error_rate" >= 0 AND "max_error_rate" <= 1);
ALTER TABLE "release_plans" ADD CONSTRAINT "release_plans_error_margin_check" CHECK ("error_margin" >= 0 AND "error_margin" <= 1);
ALTER TABLE "scheduled_changes" ADD CONSTRAINT "scheduled_changes_payload_check" CHECK (
    ("action" = 'set_stage') = ("stage" IS NOT NULL)
    AND ("action" = 'set_rollout') = ("rollout_percentage" IS NOT NULL)
    AND ("rollout_percentage" IS NULL OR "rollout_percentage" BETWEEN 0 AND 100)
);

-- Element-wise sum of two count arrays (latency histograms), and its aggregate for the hourly rollup.
CREATE FUNCTION "stagegate_add_counts"(a bigint[], b bigint[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
        ELSE ARRAY(SELECT COALESCE(x, 0) + COALESCE(y, 0) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i) ORDER BY i) END;
$$;
CREATE AGGREGATE "stagegate_sum_counts"(bigint[]) (SFUNC = "stagegate_add_counts", STYPE = bigint[]);
