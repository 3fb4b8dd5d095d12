import type { Database, DatabaseSource } from '@stagegate/db';
import { SourceTimeoutError, type FlagClient } from '@stagegate/flags-core';
import { TOKEN_STALE_MAX_MS } from './auth.js';
import { isUnreachable } from './domain/transaction.js';
import type { Logger } from './logger.js';

/** What /healthz answers: 200 with `ok`, 503 with `degraded` and the stable code DEGRADED. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  code: 'OK' | 'DEGRADED';
  database: {
    kind: Database['kind'];
    reachable: boolean;
    /** When the current outage began (ISO); null while reachable. */
    unreachableSince: string | null;
    /** How long the last outage lasted; null before the first. */
    lastOutageMs: number | null;
  };
  /** What is served without the database's confirmation right now. */
  stale: {
    /** The flag set is the last one loaded (at flagsLoadedAt), not confirmed since. */
    flags: boolean;
    flagsLoadedAt: string | null;
    /** Cached opt-ins and overrides may miss changes: the database or its notifications are out of reach. */
    userStates: boolean;
    /** Sign-ins are trusted from the last time the database confirmed them, for at most identitiesTrustedForSeconds. */
    identities: boolean;
    identitiesTrustedForSeconds: number;
  };
  /** The change stream (LISTEN): whether this process hears other processes' writes. */
  notifications: {
    listening: boolean;
    lostAt: string | null;
    reconnects: number;
    lastOutageMs: number | null;
  };
}

export interface HealthMonitor {
  /**
   * Tells the monitor about a failed database call. True when the database is out of reach or not
   * answering (the monitor logs the outage once); false for any other failure, which the caller reports.
   */
  observe(error: unknown): boolean;
  /** True while the database is known to be out of reach: writes answer BUSY at once instead of waiting on it. */
  unreachable(): boolean;
  report(): HealthReport;
  close(): void;
}

export interface HealthMonitorOptions {
  db: Database;
  source: DatabaseSource;
  flags: FlagClient;
  logger: Logger;
  /** How often the change stream's state is read and, during an outage, the database probed (default 500 ms). */
  checkIntervalMs?: number;
  /** A probe with no answer after this counts as failed (default 2,000 ms). */
  probeTimeoutMs?: number;
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** An error and its causes in one line, for the log line that opens an outage. */
function causeOf(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && messages.length < 4; e = e instanceof Error ? e.cause : undefined) {
    messages.push(e instanceof Error ? e.message : String(e));
  }
  return messages.join(': ');
}

/**
 * Database reachability for one API process, from failed calls, the change stream's stats() and,
 * while the database is out of reach, a `SELECT 1` probe. Logs one line when an outage starts and
 * one when it ends (with its length), whatever the number of requests that met it.
 */
export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const { db, source, flags, logger } = options;
  const probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  let downSince: number | null = null;
  let lastOutageMs: number | null = null;
  let probing: Promise<void> | null = null;

  const lose = (error: unknown) => {
    if (downSince !== null) return;
    downSince = Date.now();
    logger.warn({ event: 'database.unreachable', cause: causeOf(error) }, 'database unreachable: reads are served from cache, writes answer BUSY');
  };

  const recover = () => {
    if (downSince === null) return;
    lastOutageMs = Date.now() - downSince;
    downSince = null;
    logger.info({ event: 'database.reachable', outageMs: lastOutageMs }, `database reachable again after ${lastOutageMs} ms`);
  };

  const probe = async () => {
    const silence = new Error(`the database did not answer a probe within ${probeTimeoutMs} ms`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(silence), probeTimeoutMs)));
    try {
      await Promise.race([db.prisma.$queryRaw`SELECT 1`, timeout]);
      // Back only once notifications flow again too: until then changes by others go unheard.
      if (source.stats().lostAt === null) recover();
    } catch (error) {
      if (error === silence || isUnreachable(error)) lose(error);
      else logger.error({ err: error }, 'health: the database probe failed');
    } finally {
      clearTimeout(timer);
    }
  };
  const startProbe = () => {
    probing ??= probe().finally(() => (probing = null));
  };

  const check = () => {
    // A lost change stream is a hint, not proof (its connection alone may have dropped): the probe decides.
    if (downSince !== null || source.stats().lostAt !== null) startProbe();
  };
  const timer = setInterval(check, options.checkIntervalMs ?? 500);
  timer.unref();

  return {
    observe(error) {
      if (isUnreachable(error)) {
        lose(error);
        return true;
      }
      // A call that timed out says little under load: the probe finds out whether the database answers.
      if (error instanceof SourceTimeoutError) {
        startProbe();
        return true;
      }
      return false;
    },
    unreachable: () => downSince !== null,
    report() {
      const stream = source.stats();
      const client = flags.stats();
      const down = downSince !== null;
      const flagsStale = down || client.status === 'stale' || client.status === 'error';
      const degraded = flagsStale || stream.lostAt !== null;
      return {
        status: degraded ? 'degraded' : 'ok',
        code: degraded ? 'DEGRADED' : 'OK',
        database: { kind: db.kind, reachable: !down, unreachableSince: iso(downSince), lastOutageMs },
        stale: {
          flags: flagsStale,
          flagsLoadedAt: iso(client.lastRefreshAt?.getTime()),
          userStates: down || stream.lostAt !== null,
          identities: down,
          identitiesTrustedForSeconds: TOKEN_STALE_MAX_MS / 1_000,
        },
        notifications: { listening: stream.listening, lostAt: iso(stream.lostAt?.getTime()), reconnects: stream.reconnects, lastOutageMs: stream.lastOutageMs },
      };
    },
    close: () => clearInterval(timer),
  };
}
