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
  kind: 'pglite' | 'postgres';
  /** Runs `fn` on one connection of its own; on PGlite, sessions run one at a time. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** LISTENs on a channel; resolves once listening, to a function that stops. */
  listen(channel: string, onPayload: (payload: string) => void, options?: ListenOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://…` for a PostgreSQL server; unset for embedded PGlite. Defaults to DATABASE_URL. */
  url?: string | undefined;
  /** PGlite's folder (default `.data/pglite` under the working directory); `memory://` for a throwaway one. */
  dataDir?: string;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = 'url' in options ? options.url : process.env.DATABASE_URL;
  return url ? openPostgres(url) : openPglite(options.dataDir ?? process.env.PGLITE_DIR ?? path.resolve('.data/pglite'));
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

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  // An idle pooled connection that the server ends is dropped by the pool; unhandled, the event would crash the process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const stops = new Set<() => Promise<void>>();
  return {
    prisma,
    kind: 'postgres',
    ...pgRunner(pool),
    async withSession(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
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
            await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
            throw error;
          }
        },
      };
      try {
        return await fn(session);
      } finally {
        // A connection that could not roll back is not handed to anyone else.
        client.release(broken);
      }
    },
    async listen(channel, onPayload, options = {}) {
      // LISTEN needs a connection of its own that stays open, outside the pool.
      const client = new pg.Client({ connectionString: url });
      let listening = false;
      const stop = async () => {
        if (!listening) return;
        listening = false;
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
      listening = true;
      stops.add(stop);
      return stop;
    },
    async close() {
      await Promise.all([...stops].map((stop) => stop()));
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
