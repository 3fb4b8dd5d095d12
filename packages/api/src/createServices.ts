import { createDatabaseSource, type Database } from '@stagegate/db';
import { createFlagClient } from '@stagegate/flags-core';
import { createEvaluationCounter, type EvaluationCounterHandle } from './analytics/evaluations.js';
import { createAnalytics } from './analytics/posthog.js';
import { createChangeBus, feedBusFrom, withBusChanges } from './changes.js';
import { createHealthMonitor } from './health.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { Analytics, EvaluationCounter, Services } from './services.js';
import { webhookSettings, type WebhookSettings } from './webhooks.js';

export interface CreateServicesOptions {
  db: Database;
  /** The server's clock (default: the real one); tests pass a fixed one. */
  now?: () => Date;
  /** Default: PostHog when POSTHOG_API_KEY is set, else off. */
  analytics?: Analytics;
  /** Default: in-memory counts flushed to the database every 30 s. */
  evaluations?: EvaluationCounter | EvaluationCounterHandle;
  /** Default: JSON lines on stdout at LOG_LEVEL (info). */
  logger?: Logger;
  /** How long the FlagClient serves the flag set / a user's state before reloading (changes invalidate at once). */
  flagsTtlMs?: number;
  userStateTtlMs?: number;
  /**
   * The longest an evaluation waits on the database (for a user never seen, or state a change
   * outdated) before it answers from what is cached; a stalled database costs a request no more.
   * Default 2,000 ms.
   */
  sourceTimeoutMs?: number;
  /** After a failed load, how long the last known state is served before the database is asked again. Default 1,000 ms. */
  sourceRetryMs?: number;
  /** How often the health monitor reads the change stream's state, and probes the database during an outage. Default 500 ms. */
  healthCheckIntervalMs?: number;
  /** A health probe with no answer after this counts the database as unreachable. Default 2,000 ms. */
  healthProbeTimeoutMs?: number;
  /** Default: STAGEGATE_WEBHOOK_URL and STAGEGATE_WEBHOOK_SECRET from the environment (off without a URL). */
  webhooks?: Partial<WebhookSettings>;
}

const hasClose = (counter: EvaluationCounter | EvaluationCounterHandle): counter is EvaluationCounterHandle => 'close' in counter;

/**
 * One API process's services. Flag changes reach the FlagClient through the change bus, which is
 * fed by the database source's single LISTEN and by this process's own writes right after commit.
 * Failures that mean "the database is out of reach" go to the health monitor, which logs an outage
 * once; anything else is logged as it happens.
 */
export function createServices(options: CreateServicesOptions): Services {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? createLogger();
  const metrics = createMetrics();
  const webhooks = webhookSettings(options.webhooks);
  // Failures only ever arrive asynchronously, after `health` below exists.
  const absorb = (what: string) => (error: unknown) => {
    if (!health.observe(error)) logger.error({ err: error }, what);
  };
  const flagSource = createDatabaseSource(db, { onError: absorb('flags: change stream failed') });
  const changes = createChangeBus(logger);
  const stopFeed = feedBusFrom(flagSource, changes);
  const analytics = options.analytics ?? createAnalytics({ logger });
  const evaluations = options.evaluations ?? createEvaluationCounter(db, now, { onError: absorb('evaluation counts: flush failed, kept for the next one') });
  const flags = createFlagClient({
    source: withBusChanges(flagSource, changes),
    flagsTtlMs: options.flagsTtlMs,
    userStateTtlMs: options.userStateTtlMs,
    sourceTimeoutMs: options.sourceTimeoutMs ?? 2_000,
    sourceRetryMs: options.sourceRetryMs ?? 1_000,
    onEvaluation: (resolution) => evaluations.record(resolution),
    onError: absorb('flags: source failed, serving the last known state'),
  });
  const health = createHealthMonitor({
    db,
    source: flagSource,
    flags,
    logger,
    checkIntervalMs: options.healthCheckIntervalMs,
    probeTimeoutMs: options.healthProbeTimeoutMs,
  });
  metrics.bind({ db, flags, flagSource, evaluations, health });

  let closing: Promise<void> | undefined;
  return {
    db,
    flags,
    flagSource,
    changes,
    analytics,
    evaluations,
    health,
    logger,
    metrics,
    webhooks,
    now,
    close() {
      closing ??= (async () => {
        health.close();
        await flags.close();
        await stopFeed();
        await flagSource.close();
        await (hasClose(evaluations) ? evaluations.close() : evaluations.flush());
        await analytics.shutdown();
      })();
      return closing;
    },
  };
}
