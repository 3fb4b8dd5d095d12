import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.js';

/** Raw SQL, for what Prisma does not offer (migration scripts, catalog queries, locks). */
export interface SqlRunner {
  /** Runs a script of one or more SQL statements. */
  exec(sql: string): Promise<void>;
  /** Runs one statement with `$1…` parameters; the caller states the row shape it selected. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** One connection held for a while, so session state (advisory locks, transactions) stays on it. */
export interface SqlSession extends SqlRunner {
  /** BEGIN … COMMIT around `fn`, ROLLBACK if it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

export interface ListenOptions {
  /** Told once when the listening connection is gone (PostgreSQL only); notifications stop after it. */
  onLost?: (error: Error) => void;
}

/** One open database: the Prisma client plus the raw operations Prisma does not offer. */
export interface Database extends SqlRunner {
  prisma: PrismaClient;
  /**
   * For emergency writes (kill, restore) that must not queue behind user traffic: on PostgreSQL a
   * client on a small pool of its own; on PGlite, a single backend, the same client as `prisma`.
   */
  priority: PrismaClient;
  kind: 'pglite' | 'postgres';
  /** Runs `fn` on one connection of its own; on PGlite, sessions run one at a time. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** LISTENs on a channel; resolves once listening, to a function that stops. */
  listen(channel: string, onPayload: (payload: string) => void, options?: ListenOptions): Promise<() => Promise<void>>;
  /** PostgreSQL: each connection pool's use right now (what `/metrics` reports); PGlite has none. */
  pools(): PoolUse[];
  close(): Promise<void>;
}

export interface PoolUse {
  lane: 'main' | 'priority';
  /** Connections allowed. */
  max: number;
  /** Connections open, idle ones included. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export interface OpenDatabaseOptions {
  /** `postgres://…` for a PostgreSQL server; unset for embedded PGlite. Defaults to DATABASE_URL. */
  url?: string | undefined;
  /** PGlite's folder (default `.data/pglite` under the working directory); `memory://` for a throwaway one. */
  dataDir?: string;
  /** PostgreSQL: connections of the main pool (default DATABASE_POOL_SIZE, else 10). */
  poolSize?: number;
  /** PostgreSQL: connections reserved for `priority` (default 2). */
  priorityPoolSize?: number;
  /** PostgreSQL: a new connection that is not ready after this fails (default 2,000 ms); waiting for a free pooled one is not bounded here. */
  connectTimeoutMs?: number;
  /** PostgreSQL: a pooled query with no answer after this fails and its connection is dropped (default 15,000 ms; 0: none). Sessions are exempt. */
  queryTimeoutMs?: number;
  /** PostgreSQL: how often a LISTEN connection proves the server still answers (default 2,000 ms); one unanswered within connectTimeoutMs counts as lost. */
  heartbeatMs?: number;
}

/** Each connection says what it is for in pg_stat_activity.application_name. */
export const APPLICATION_NAMES = { pool: 'stagegate', priority: 'stagegate:priority', listen: 'stagegate:listen', session: 'stagegate:session' } as const;

/** The PostgreSQL connection settings after defaults. */
interface PostgresSettings {
  poolSize: number;
  priorityPoolSize: number;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  heartbeatMs: number;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = 'url' in options ? options.url : process.env.DATABASE_URL;
  if (!url) return openPglite(options.dataDir ?? process.env.PGLITE_DIR ?? path.resolve('.data/pglite'));
  return openPostgres(url, {
    poolSize: options.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    priorityPoolSize: options.priorityPoolSize ?? 2,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    queryTimeoutMs: options.queryTimeoutMs ?? 15_000,
    heartbeatMs: options.heartbeatMs ?? 2_000,
  });
}

interface PgliteRunner {
  exec(sql: string): Promise<unknown>;
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

function pgliteRunner(target: PgliteRunner): SqlRunner {
  return {
    exec: async (sql) => void (await target.exec(sql)),
    query: async <Row>(sql: string, params: readonly unknown[] = []) => (await target.query<Row>(sql, [...params])).rows,
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  return pgliteDatabase(await PGlite.create(dataDir));
}

/** A Database over a PGlite the caller created (testing.ts starts them from a migrated snapshot). */
export function pgliteDatabase(pglite: PGlite): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const runner = pgliteRunner(pglite);
  // PGlite is a single backend, so advisory locks cannot keep two sessions apart: a queue does.
  let sessions: Promise<unknown> = Promise.resolve();
  return {
    prisma,
    priority: prisma,
    kind: 'pglite',
    ...runner,
    withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
      const session: SqlSession = {
        ...runner,
        // pglite.transaction() keeps every other query out until it ends.
        transaction: (body) => pglite.transaction((tx) => body(pgliteRunner(tx))),
      };
      const run = sessions.then(() => fn(session));
      sessions = run.catch(() => undefined);
      return run;
    },
    async listen(channel, onPayload) {
      const stop = await pglite.listen(channel, onPayload);
      return async () => stop();
    },
    pools: () => [],
    async close() {
      await prisma.$disconnect();
      // Without close() the process lingers ~9 s on exit.
      await pglite.close();
    },
  };
}

function pgRunner(target: pg.Pool | pg.ClientBase): SqlRunner {
  return {
    exec: async (sql) => void (await target.query(sql)),
    query: async <Row>(sql: string, params: readonly unknown[] = []) => (await target.query(sql, [...params])).rows as Row[],
  };
}

async function openPostgres(url: string, settings: PostgresSettings): Promise<Database> {
  // TCP keepalive clears half-open connections eventually; the timeouts and the heartbeat are what make it prompt.
  const connection = { connectionString: url, connectionTimeoutMillis: settings.connectTimeoutMs, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
  // pg-pool's own connectionTimeoutMillis would also bound the wait for a free connection (bursts queue
  // there, under Prisma's maxWait), so the connect timeout is set on each connection instead.
  const queryTimeout = settings.queryTimeoutMs > 0 ? { query_timeout: settings.queryTimeoutMs } : {};
  const openPool = (max: number, application_name: string) => {
    const config = { ...connection, ...queryTimeout, application_name };
    class PooledClient extends pg.Client {
      constructor() {
        super(config);
      }
    }
    const pool = new pg.Pool({ max, Client: PooledClient });
    // An idle pooled connection that the server ends is dropped by the pool; unhandled, the event would crash the process.
    pool.on('error', () => undefined);
    return pool;
  };
  const pool = openPool(settings.poolSize, APPLICATION_NAMES.pool);
  const priorityPool = openPool(settings.priorityPoolSize, APPLICATION_NAMES.priority);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const priority = new PrismaClient({ adapter: new PrismaPg(priorityPool) });
  const stops = new Set<() => Promise<void>>();
  return {
    prisma,
    priority,
    kind: 'postgres',
    ...pgRunner(pool),
    pools: () => [
      { lane: 'main', max: settings.poolSize, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
      { lane: 'priority', max: settings.priorityPoolSize, total: priorityPool.totalCount, idle: priorityPool.idleCount, waiting: priorityPool.waitingCount },
    ],
    async withSession(fn) {
      // A session may wait on a lock or run a long migration: a connection of its own, without the query timeout.
      const client = new pg.Client({ ...connection, application_name: APPLICATION_NAMES.session });
      client.on('error', () => undefined);
      await client.connect();
      const runner = pgRunner(client);
      const session: SqlSession = {
        ...runner,
        async transaction(body) {
          await client.query('BEGIN');
          try {
            const result = await body(runner);
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        },
      };
      try {
        return await fn(session);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async listen(channel, onPayload, options = {}) {
      // LISTEN needs a connection of its own that stays open, outside the pool; its heartbeat must answer within the connect timeout.
      const client = new pg.Client({ ...connection, query_timeout: settings.connectTimeoutMs, application_name: APPLICATION_NAMES.listen });
      let listening = false;
      const stop = async () => {
        if (!listening) return;
        listening = false;
        clearInterval(heartbeat);
        stops.delete(stop);
        await client.end().catch(() => undefined);
      };
      const lost = (error: Error) => {
        if (!listening) return;
        void stop();
        options.onLost?.(error);
      };
      client.on('error', lost);
      client.on('end', () => lost(new Error(`the connection listening on ${channel} ended`)));
      client.on('notification', (message) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      // A server that vanished without closing the socket (a partition, a frozen host) sends no error:
      // a query that goes unanswered is the only sign.
      const heartbeat = setInterval(() => {
        client.query('SELECT 1').catch((error: Error) => lost(new Error(`the connection listening on ${channel} stopped answering: ${error.message}`)));
      }, settings.heartbeatMs);
      heartbeat.unref();
      listening = true;
      stops.add(stop);
      return stop;
    },
    async close() {
      await Promise.all([...stops].map((stop) => stop()));
      await Promise.all([prisma.$disconnect(), priority.$disconnect()]);
      await Promise.all([pool.end(), priorityPool.end()]);
    },
  };
}
