import { createDatabaseSource, type Database } from '@stagegate/db';
import { createFlagClient } from '@stagegate/flags-core';
import { createEvaluationCounter, type EvaluationCounterHandle } from './analytics/evaluations.js';
import { createAnalytics } from './analytics/posthog.js';
import { createChangeBus, feedBusFrom, withBusChanges } from './changes.js';
import type { Analytics, EvaluationCounter, Services } from './services.js';

export interface CreateServicesOptions {
  db: Database;
  /** The server's clock (default: the real one); tests pass a fixed one. */
  now?: () => Date;
  /** Default: PostHog when POSTHOG_API_KEY is set, else off. */
  analytics?: Analytics;
  /** Default: in-memory counts flushed to the database every 30 s. */
  evaluations?: EvaluationCounter | EvaluationCounterHandle;
  /** How long the FlagClient serves the flag set / a user's state before reloading (changes invalidate at once). */
  flagsTtlMs?: number;
  userStateTtlMs?: number;
}

const hasClose = (counter: EvaluationCounter | EvaluationCounterHandle): counter is EvaluationCounterHandle => 'close' in counter;

/**
 * One API process's services. Flag changes reach the FlagClient through the change bus, which is
 * fed by the database source's single LISTEN and by this process's own writes right after commit.
 */
export function createServices(options: CreateServicesOptions): Services {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const flagSource = createDatabaseSource(db, { onError: (error) => console.error('flags: change stream', error) });
  const changes = createChangeBus();
  const stopFeed = feedBusFrom(flagSource, changes);
  const analytics = options.analytics ?? createAnalytics();
  const evaluations = options.evaluations ?? createEvaluationCounter(db, now);
  const flags = createFlagClient({
    source: withBusChanges(flagSource, changes),
    flagsTtlMs: options.flagsTtlMs,
    userStateTtlMs: options.userStateTtlMs,
    onEvaluation: (resolution) => evaluations.record(resolution),
    onError: (error) => console.error('flags: source failed, serving the last known state', error),
  });

  let closing: Promise<void> | undefined;
  return {
    db,
    flags,
    flagSource,
    changes,
    analytics,
    evaluations,
    now,
    close() {
      closing ??= (async () => {
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
