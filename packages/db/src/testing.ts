import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, pgliteDatabase, type Database, type OpenDatabaseOptions } from './database.js';
import { migrate } from './migrate.js';
import { startTcpProxy, type TcpProxy } from './testing/tcpProxy.js';

export { startTcpProxy, type TcpProxy, type TcpProxyOptions } from './testing/tcpProxy.js';

export interface TestDatabase extends Database {
  /** The database's own URL on PostgreSQL (e.g. to open a second connection to it); undefined on PGlite. */
  url: string | undefined;
}

export interface OpenTestDatabaseOptions {
  /** Apply the migrations (default true); false gives an empty database, for migration tests. */
  migrate?: boolean;
}

/**
 * A fresh database for one test file. With STAGEGATE_TEST_PG (an admin URL of a PostgreSQL server)
 * it creates a uniquely named database there and close() drops it; otherwise it is an in-memory PGlite.
 */
export async function openTestDatabase(options: OpenTestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.STAGEGATE_TEST_PG;
  if (!adminUrl) {
    return { ...(await openPgliteTestDatabase(options.migrate !== false)), url: undefined };
  }
  const { db, url, drop } = await createPostgresDatabase(adminUrl);
  try {
    if (options.migrate !== false) await migrate(db);
  } catch (error) {
    await db.close();
    await drop();
    throw error;
  }
  return {
    ...db,
    url,
    async close() {
      await db.close();
      await drop();
    },
  };
}

// PGlite runs initdb on every start (~2 s). The first database of a process is made that way and
// snapshotted; the others start from the snapshot in a fraction of the time, already migrated.
const snapshots = new Map<boolean, Promise<Blob>>();

async function openPgliteTestDatabase(migrated: boolean): Promise<Database> {
  const known = snapshots.get(migrated);
  if (known) return pgliteDatabase(await PGlite.create({ dataDir: 'memory://', loadDataDir: await known }));
  const pglite = await PGlite.create('memory://');
  const db = pgliteDatabase(pglite);
  try {
    if (migrated) await migrate(db);
    const snapshot = pglite.dumpDataDir('none');
    snapshots.set(migrated, snapshot);
    // A failed snapshot is not kept: the next caller tries again and sees the error itself.
    snapshot.catch(() => snapshots.delete(migrated));
    await snapshot;
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(adminUrl: string) {
  const name = `stagegate_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  try {
    return { db: await openDatabase({ url: url.toString() }), url: url.toString(), drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

export interface ProxiedTestDatabase {
  /** The test database through the proxy: what the code under test gets. */
  db: Database;
  /** The same database, connected directly: for the test's own writes and checks while the proxy is cut. */
  direct: TestDatabase;
  proxy: TcpProxy;
  /** Restores the proxy, closes both databases and the proxy, drops the database. */
  close(): Promise<void>;
}

/**
 * A fresh migrated test database on PostgreSQL, opened a second time through a TCP proxy so a test can
 * break the connection for real (PostgreSQL pass only: PGlite has no socket). `options` tune the proxied
 * Database, e.g. short timeouts.
 */
export async function openTestDatabaseThroughProxy(options: Omit<OpenDatabaseOptions, 'url' | 'dataDir'> = {}): Promise<ProxiedTestDatabase> {
  const direct = await openTestDatabase();
  if (!direct.url) {
    await direct.close();
    throw new Error('openTestDatabaseThroughProxy needs PostgreSQL (STAGEGATE_TEST_PG): PGlite has no connection to cut');
  }
  const target = new URL(direct.url);
  const proxy = await startTcpProxy({ target: { host: target.hostname, port: Number(target.port || 5432) } });
  const db = await openDatabase({ ...options, url: proxy.url(direct.url) });
  return {
    db,
    direct,
    proxy,
    async close() {
      await proxy.restore();
      await db.close();
      await proxy.close();
      await direct.close();
    },
  };
}

/** Polls `check` until it returns true (notifications arrive asynchronously); throws after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
