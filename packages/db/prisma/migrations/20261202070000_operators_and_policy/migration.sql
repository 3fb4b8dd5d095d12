-- Operators (the company's people who run releases) apart from workspace roles, workspaces' beta
-- policy, and who created an API token. Policy changes notify like flag changes, so every cache hears them.

-- CreateEnum
CREATE TYPE "OperatorRole" AS ENUM ('viewer', 'editor', 'owner');

-- CreateEnum
CREATE TYPE "WorkspaceFlagPolicy" AS ENUM ('blocked', 'enabled');

-- AlterTable
ALTER TABLE "users" ADD COLUMN "operator_role" "OperatorRole";

-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN "opt_in_blocked" BOOLEAN NOT NULL DEFAULT false;

-- AlterEnum
ALTER TYPE "TokenKind" ADD VALUE 'session';

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN "created_by" TEXT,
ADD COLUMN "expires_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "workspace_flag_policies" (
    "workspace_id" TEXT NOT NULL,
    "flag_key" TEXT NOT NULL,
    "policy" "WorkspaceFlagPolicy" NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "workspace_flag_policies_pkey" PRIMARY KEY ("workspace_id","flag_key")
);

-- CreateIndex
CREATE INDEX "workspace_flag_policies_flag_key_idx" ON "workspace_flag_policies"("flag_key");

-- AddForeignKey
ALTER TABLE "workspace_flag_policies" ADD CONSTRAINT "workspace_flag_policies_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workspace_flag_policies" ADD CONSTRAINT "workspace_flag_policies_flag_key_fkey" FOREIGN KEY ("flag_key") REFERENCES "flags"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- A policy change makes every member's state in that workspace stale: one flags-core FlagChange of kind 'workspace'.
CREATE FUNCTION "stagegate_notify_workspace_flag_policy"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'workspace', 'workspaceId', OLD."workspace_id")::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'workspace', 'workspaceId', NEW."workspace_id")::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION "stagegate_notify_workspace_opt_in"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."opt_in_blocked" IS DISTINCT FROM OLD."opt_in_blocked" THEN
        PERFORM pg_notify('stagegate_changes', json_build_object('kind', 'workspace', 'workspaceId', NEW."id")::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "workspace_flag_policies_notify"
    AFTER INSERT OR UPDATE OR DELETE ON "workspace_flag_policies"
    FOR EACH ROW EXECUTE FUNCTION "stagegate_notify_workspace_flag_policy"();

CREATE TRIGGER "workspace_flag_policies_notify_truncate"
    AFTER TRUNCATE ON "workspace_flag_policies"
    FOR EACH STATEMENT EXECUTE FUNCTION "stagegate_notify_reset"();

CREATE TRIGGER "workspaces_notify_opt_in"
    AFTER UPDATE OF "opt_in_blocked" ON "workspaces"
    FOR EACH ROW EXECUTE FUNCTION "stagegate_notify_workspace_opt_in"();
