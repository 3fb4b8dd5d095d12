import { backoffDelay, parseChange, type FlagChange, type FlagSource, type Unsubscribe, type UserState } from '@stagegate/flags-core';
import type { Database } from './database.js';
import { betaPreferenceSelect, flagDefinitionSelect, toFlagDefinition, toUserState, userOverrideSelect, workspacePolicySelect } from './flags.js';

/** The channel the triggers of migration `audit_and_notify` notify on. */
export const CHANGES_CHANNEL = 'stagegate_changes';

export interface DatabaseSourceOptions {
  /** First wait before listening again after the connection dropped (default 200 ms); doubles per failed try, jittered. */
  reconnectDelayMs?: number;
  /** The longest wait between tries while the database is down (default 1,000 ms), so listening resumes about a second after it is back. */
  maxReconnectDelayMs?: number;
  /** Told about dropped connections, failed reconnects, unreadable payloads and throwing subscribers. */
  onError?: (error: unknown) => void;
}

export interface DatabaseSourceStats {
  /** Database round trips issued by loadFlags and loadUserState. */
  queries: number;
  /** Change notifications received. */
  notifications: number;
  /** Times listening resumed after the connection was lost. */
  reconnects: number;
  /** True while the change stream is listening. */
  listening: boolean;
  /** When listening was lost (or first failed), while it still is; null when listening or nobody subscribed. */
  lostAt: Date | null;
  /** How long the last outage lasted, from losing the connection to listening again; null before the first reconnect. */
  lastOutageMs: number | null;
}

export interface DatabaseSource extends FlagSource {
  subscribe(onChange: (change: FlagChange) => void): Unsubscribe;
  /** Resolves once the change stream is listening (at once when nobody subscribed). */
  listening(): Promise<void>;
  stats(): DatabaseSourceStats;
  /** Stops listening; loads keep working. */
  close(): Promise<void>;
}

/**
 * A flags-core FlagSource over the database: one query for the flag set, two for one user's state,
 * and a change stream from the triggers' notifications. One LISTEN connection serves every
 * subscriber; when it drops it is re-opened with backoff and subscribers get `{ kind: 'reset' }`,
 * because changes made meanwhile were not heard.
 */
export function createDatabaseSource(db: Database, options: DatabaseSourceOptions = {}): DatabaseSource {
  const initialDelay = options.reconnectDelayMs ?? 200;
  const maxDelay = options.maxReconnectDelayMs ?? 1_000;
  const report = options.onError ?? (() => undefined);
  const counters = { queries: 0, notifications: 0, reconnects: 0 };
  let lostAt: Date | null = null;
  let lastOutageMs: number | null = null;
  const subscribers = new Set<(change: FlagChange) => void>();

  let stop: (() => Promise<void>) | null = null;
  let starting: Promise<void> | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;
  let heardBefore = false;
  let waiters: Array<() => void> = [];

  const emit = (change: FlagChange) => {
    for (const subscriber of [...subscribers]) {
      try {
        subscriber(change);
      } catch (error) {
        report(error);
      }
    }
  };

  const onPayload = (payload: string) => {
    counters.notifications += 1;
    const change = parseChange(payload);
    if (!change) report(new Error(`unreadable change notification: ${payload}`));
    emit(change ?? { kind: 'reset' });
  };

  const scheduleRetry = () => {
    lostAt ??= new Date();
    if (subscribers.size === 0 || retryTimer) return;
    // Jittered, so every process does not reconnect in the same instant after a server restart.
    const delay = backoffDelay(failures, { initialMs: initialDelay, maxMs: maxDelay });
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void start();
    }, delay);
    retryTimer.unref();
  };

  const start = (): Promise<void> => {
    starting ??= (async () => {
      try {
        const stopListening = await db.listen(CHANGES_CHANNEL, onPayload, {
          onLost(error) {
            stop = null;
            report(error);
            scheduleRetry();
          },
        });
        if (subscribers.size === 0) return void (await stopListening());
        stop = stopListening;
        failures = 0;
        if (lostAt) lastOutageMs = Date.now() - lostAt.getTime();
        lostAt = null;
        if (heardBefore) {
          counters.reconnects += 1;
          emit({ kind: 'reset' });
        }
        heardBefore = true;
        waiters.splice(0).forEach((resolve) => resolve());
      } catch (error) {
        report(error);
        heardBefore = true;
        scheduleRetry();
      } finally {
        starting = null;
      }
    })();
    return starting;
  };

  const stopListening = async () => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    await starting;
    // Someone subscribed again while the listener was starting: it stays.
    if (subscribers.size > 0) return;
    const current = stop;
    stop = null;
    failures = 0;
    heardBefore = false;
    lostAt = null;
    waiters.splice(0).forEach((resolve) => resolve());
    await current?.();
  };

  return {
    async loadFlags() {
      counters.queries += 1;
      const rows = await db.prisma.flag.findMany({ select: flagDefinitionSelect, orderBy: { key: 'asc' } });
      return rows.map(toFlagDefinition);
    },
    async loadUserState(userId: string, workspaceId: string): Promise<UserState> {
      counters.queries += 3;
      const [preferences, overrides, workspace] = await Promise.all([
        db.prisma.betaPreference.findMany({ where: { userId, workspaceId }, select: betaPreferenceSelect }),
        db.prisma.userOverride.findMany({ where: { userId }, select: userOverrideSelect }),
        db.prisma.workspace.findUnique({ where: { id: workspaceId }, select: workspacePolicySelect }),
      ]);
      return toUserState(preferences, overrides, workspace);
    },
    subscribe(onChange) {
      // A function of its own per call, so subscribing the same callback twice needs two unsubscribes.
      const subscriber = (change: FlagChange) => onChange(change);
      subscribers.add(subscriber);
      if (subscribers.size === 1) void start();
      return async () => {
        if (!subscribers.delete(subscriber) || subscribers.size > 0) return;
        await stopListening();
      };
    },
    listening() {
      if (subscribers.size === 0 || stop) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    stats: () => ({ ...counters, listening: stop !== null, lostAt, lastOutageMs }),
    async close() {
      subscribers.clear();
      await stopListening();
      waiters = [];
    },
  };
}
