// The server's entry point (`node dist/main.js`, or `tsx src/main.ts` in development): opens the
// database (DATABASE_URL, else embedded PGlite in <repo>/.data/pglite), migrates, seeds demo data
// into an empty development database, and serves.
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createLogger, createScheduler, createServices, metricsRetentionDays, schedulerIntervalMs } from '@stagegate/api';
import { hashToken, migrate, openDatabase } from '@stagegate/db';
import { DEMO_TOKENS, DEMO_USERS, seedDemo } from '@stagegate/db/demo';
import { createHttpServer } from './app.js';
import { adminBuilt, webBuilt } from './http/static.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const production = process.env.NODE_ENV === 'production';
// Loopback unless production: a development server with public demo tokens is nobody else's business.
const host = process.env.HOST || (production ? '0.0.0.0' : '127.0.0.1');
const allowedOrigins = (process.env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);

const logger = createLogger();
// The rollup reads it on every run: a bad value stops the server here instead.
metricsRetentionDays();
const schedulerInterval = schedulerIntervalMs();
const db = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.PGLITE_DIR ?? `${repoRoot}.data/pglite` });
const migration = await migrate(db);
logger.info(`database: ${db.kind}, migrations applied: ${migration.applied.length ? migration.applied.join(', ') : 'none (up to date)'}`);

// Demo data only into a database that has nothing yet, and never in production (its tokens are public).
if (!production && (await db.prisma.workspace.count()) === 0 && (await db.prisma.flag.count()) === 0) {
  const seeded = await seedDemo(db);
  logger.info(`seeded the demo workspace with ${seeded.createdFlags.length} flags`);
}

const demoTokenLive = !production && (await db.prisma.apiToken.count({ where: { tokenHash: hashToken(DEMO_TOKENS.owner), revokedAt: null } })) > 0;

const services = createServices({ db, logger });
const metricsToken = process.env.STAGEGATE_METRICS_TOKEN || undefined;
const server = createHttpServer(services, { production, allowedOrigins, metricsToken }).listen(port, host);
// Scheduled changes, release plans, webhooks and the metrics rollup; every process runs one (rows are claimed, so each change happens once).
const scheduler = createScheduler(services, { intervalMs: schedulerInterval });
scheduler.start();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: shutting down`);
  // A stuck close must not keep a process manager waiting forever.
  setTimeout(() => process.exit(1), 10_000).unref();
  // Open SSE streams never end by themselves: give requests in flight a moment, then cut the rest.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), 2_000);
  await closed;
  clearTimeout(cut);
  await scheduler.close();
  await services.close();
  await db.close();
  process.exit(0);
}
// Registered before anything else is awaited: a signal in that window must still shut down cleanly.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
const { port: actualPort } = server.address() as AddressInfo;
// One write, so whoever reads the banner (a person, the start test) gets the URL and sign-in together.
const base = `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${actualPort}`;
const banner = [`Stagegate API on ${base} (tRPC at /trpc, REST at /api/beta-features, health at /healthz)`];
if (webBuilt()) banner.push(`Beta Features app on ${base}/ (Settings → Beta Features; sign in as a demo member in development)`);
if (adminBuilt()) banner.push(`Operators' dashboard on ${base}/admin/ (sign in as a demo operator in development)`);
if (demoTokenLive) {
  banner.push('demo sign-in (Authorization: Bearer …):');
  for (const [who, token] of Object.entries(DEMO_TOKENS)) {
    const user = who in DEMO_USERS ? DEMO_USERS[who as keyof typeof DEMO_USERS] : undefined;
    const role = user ? (user.operatorRole ? `operator ${user.operatorRole}` : `${user.workspace.role} of ${user.workspace.slug}`) : 'backend service (reads /api/flags/*)';
    banner.push(`  ${token.padEnd(24)} ${user ? `${user.email} — ` : ''}${role}`);
  }
  banner.push(`  try: curl -H 'Authorization: Bearer ${DEMO_TOKENS.member}' ${base}/api/beta-features`);
}
// For the person who ran `pnpm start`, as text: the log's JSON lines are for machines.
console.log(banner.join('\n'));
