import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.js';

/** One open database: the Prisma client plus the raw operations Prisma does not offer. */
export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  /** Runs a script of one or more SQL statements (migrations). */
  exec(sql: string): Promise<void>;
  /** LISTENs on a channel; resolves once listening, to a function that stops. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
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

async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: 'pglite',
    exec: async (sql) => void (await pglite.exec(sql)),
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

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const listeners: pg.Client[] = [];
  return {
    prisma,
    kind: 'postgres',
    exec: async (sql) => void (await pool.query(sql)),
    async listen(channel, onPayload) {
      // LISTEN needs a connection of its own that stays open, outside the pool.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end();
      };
    },
    async close() {
      await Promise.all(listeners.splice(0).map((client) => client.end()));
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
