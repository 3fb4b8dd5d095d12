// The outage figures of `pnpm bench` (PostgreSQL only: the outage is a TCP proxy between the server
// and the database, cut as a stopped server would be): the share of reads answered while it lasts,
// how a write fails, how soon notifications recover; and a kill's latency 1 s into 2,000 toggles,
// with the priority lane and without it. BENCH_OUTAGE_SECONDS (default 12: past the token cache's
// 10 s freshness, so sign-ins are served stale too; the 30 s works as well).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { createAnalytics, createLogger, createServices, type Services } from '@stagegate/api';
import type { Database } from '@stagegate/db';
import { DEMO_TOKENS, seedDemo } from '@stagegate/db/demo';
import { openTestDatabase, openTestDatabaseThroughProxy, waitFor } from '@stagegate/db/testing';
import { startServer, type TestServer } from '../src/testing/server.js';
import { median } from './readPaths/measure.js';

const OUTAGE_SECONDS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 12);
const BURST = 2_000;
const KILL_AFTER_MS = 1_000;
/** Each configuration's kill is timed this many times (a burst each); medians and ranges are reported. */
const KILL_ROUNDS = 5;

export interface OutageFigures {
  outageSeconds: number;
  reads: { asked: number; answered: number };
  write: { status: number; code: string | undefined; retryAfter: string | null; ms: number };
  logLines: number;
  /** From restore until the change stream listened again, and until a change written then was served. */
  listeningAfterMs: number;
  changeServedAfterMs: number;
  /** From restore until /healthz says ok again. */
  healthyAfterMs: number;
  /** warm: the operator's token was resolved in the last 10 s (the token cache answers); cold: it must be looked up (on the priority lane). */
  kill: { priorityMs: number[]; mainMs: number[]; priorityColdTokenMs: number[]; loopDelayP99Ms: number[]; burstStillRunning: boolean[] };
}

const member = { authorization: `Bearer ${DEMO_TOKENS.member}` };
const evaluateInput = encodeURIComponent(JSON.stringify({ keys: ['auto-tagging-v2', 'smart-summaries', 'global-chat-enabled'] }));
const READS: autocannon.Request[] = [
  { method: 'GET', path: '/trpc/betaFeatures.list', headers: member },
  { method: 'GET', path: `/trpc/flags.evaluate?input=${evaluateInput}`, headers: member },
  { method: 'GET', path: '/api/beta-features', headers: member },
  { method: 'GET', path: '/api/flags/snapshot', headers: { authorization: `Bearer ${DEMO_TOKENS.service}` } },
];

const quiet = () => createAnalytics({ apiKey: undefined, log: () => undefined });

/**
 * An operator's client in a thread of its own, as a real one is in a process of its own: fetched here,
 * its own wait for the response would queue on the server's busy event loop and be counted as the
 * kill's. Keeps its connection alive between calls, as a browser does.
 */
function operatorClient() {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', async ({ url, init }) => {
      const started = performance.now();
      try {
        const response = await fetch(url, init);
        await response.arrayBuffer();
        parentPort.postMessage({ status: response.status, ms: performance.now() - started });
      } catch (error) {
        parentPort.postMessage({ status: 0, ms: 0, error: String(error) });
      }
    });`,
    { eval: true },
  );
  return {
    send: (url: string, init: RequestInit = {}) =>
      new Promise<{ status: number; ms: number }>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage({ url, init });
      }),
    close: () => worker.terminate(),
  };
}

interface KillRun {
  ms: number;
  burstStillRunning: boolean;
  loopDelayP99Ms: number;
}

async function killLatency(db: Database, token: 'warm' | 'cold'): Promise<KillRun> {
  const services = createServices({ db, analytics: quiet(), logger: createLogger({ level: 'silent' }) });
  const server = await startServer(services);
  const operator = operatorClient();
  const editor = { authorization: `Bearer ${DEMO_TOKENS.editor}`, 'content-type': 'application/json' };
  try {
    // Both lanes hold a connection, as in a server that has been running a while.
    await Promise.all([db.prisma.$queryRaw`SELECT 1`, db.priority.$queryRaw`SELECT 1`]);
    // Warm: the operator's token resolved a moment ago. Cold: it must be looked up; either way the
    // operator's connection is open already, or a new one's handshake under the burst is what gets
    // measured (a SYN dropped from a full accept queue is resent after 1 s).
    if (token === 'warm') await operator.send(`${server.url}/trpc/admin.flags.list`, { headers: editor });
    else await operator.send(`${server.url}/healthz`);
    const toggles = autocannon({
      url: server.url,
      connections: 200,
      amount: BURST,
      workers: 1,
      headers: { ...member, 'content-type': 'application/json' },
      requests: [0, 1].map((i) => ({ method: 'POST', path: '/trpc/betaFeatures.toggle', body: JSON.stringify({ key: 'internal-search', enabled: i === 0 }) })),
    });
    let burstDone = false;
    void toggles.then(() => (burstDone = true));
    // The server's event loop during the burst: what a request waits for before any database is involved.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
    const killed = await operator.send(`${server.url}/trpc/admin.flags.kill`, {
      method: 'POST',
      headers: editor,
      body: JSON.stringify({ key: 'auto-tagging-v2', reason: 'bench: error spike' }),
    });
    const burstStillRunning = !burstDone;
    loop.disable();
    if (killed.status !== 200) throw new Error(`the kill answered ${killed.status}`);
    await toggles;
    await fetch(`${server.url}/trpc/admin.flags.restore`, {
      method: 'POST',
      headers: editor,
      body: JSON.stringify({ key: 'auto-tagging-v2', reason: 'bench: done' }),
    });
    return { ms: killed.ms, burstStillRunning, loopDelayP99Ms: loop.percentile(99) / 1e6 };
  } finally {
    await operator.close();
    await server.close();
    await services.close();
  }
}

async function outage(services: Services, server: TestServer, cut: () => Promise<void>, restore: () => Promise<void>, direct: Database, lines: () => number) {
  await autocannon({ url: server.url, connections: 10, duration: 1, workers: 1, requests: READS });
  const logBefore = lines();
  await cut();
  const reads = autocannon({ url: server.url, connections: 10, duration: OUTAGE_SECONDS, workers: 1, requests: READS });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const started = performance.now();
  const response = await fetch(`${server.url}/api/beta-features/internal-search/toggle`, {
    method: 'POST',
    headers: { ...member, 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: true }),
  });
  const write = { status: response.status, code: ((await response.json()) as { code?: string }).code, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started };
  const result = await reads;

  await restore();
  const restored = performance.now();
  await direct.prisma.flag.update({ where: { key: 'smart-summaries' }, data: { description: `bench ${Date.now()}` } });
  const changed = (await direct.prisma.flag.findUniqueOrThrow({ where: { key: 'smart-summaries' } })).description;
  await waitFor(() => services.flagSource.stats().listening, 10_000, 'listening again');
  const listeningAfterMs = performance.now() - restored;
  await waitFor(async () => (await services.flags.flags()).find((flag) => flag.key === 'smart-summaries')?.description === changed, 10_000, 'the change');
  const changeServedAfterMs = performance.now() - restored;
  await waitFor(() => !services.health.unreachable(), 10_000, 'the health monitor to see the database back');
  const healthyAfterMs = performance.now() - restored;
  const answered = result.requests.total - result.non2xx - result.errors - result.timeouts;
  return { reads: { asked: result.requests.total, answered }, write, logLines: lines() - logBefore, listeningAfterMs, changeServedAfterMs, healthyAfterMs };
}

export async function benchOutage(): Promise<OutageFigures> {
  const fault = await openTestDatabaseThroughProxy();
  let lines = 0;
  await seedDemo(fault.direct, { env: {} });
  // Main's settings: the default timeouts, TTLs and health timers.
  const services = createServices({ db: fault.db, analytics: quiet(), logger: createLogger({ destination: { write: () => void lines++ } }) });
  const server = await startServer(services);
  let figures: Omit<OutageFigures, 'kill' | 'outageSeconds'>;
  try {
    await services.flagSource.listening();
    figures = await outage(services, server, () => fault.proxy.cut(), () => fault.proxy.restore(), fault.direct, () => lines);
  } finally {
    await server.close();
    await services.close();
    await fault.close();
  }

  const db = await openTestDatabase();
  try {
    await seedDemo(db, { env: {} });
    const runs = { priority: [] as KillRun[], main: [] as KillRun[], cold: [] as KillRun[] };
    // Round by round, so a slow spell of the machine falls on every configuration alike.
    for (let round = 0; round < KILL_ROUNDS; round++) {
      runs.priority.push(await killLatency(db, 'warm'));
      // The same database with the kill on the main pool: what the lane saves.
      runs.main.push(await killLatency({ ...db, priority: db.prisma }, 'warm'));
      runs.cold.push(await killLatency(db, 'cold'));
    }
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    const ms = (of: KillRun[]) => sorted(of.map((run) => run.ms));
    const all = [...runs.priority, ...runs.main, ...runs.cold];
    return {
      ...figures,
      outageSeconds: OUTAGE_SECONDS,
      kill: { priorityMs: ms(runs.priority), mainMs: ms(runs.main), priorityColdTokenMs: ms(runs.cold), loopDelayP99Ms: sorted(runs.priority.map((run) => run.loopDelayP99Ms)), burstStillRunning: all.map((run) => run.burstStillRunning) },
    };
  } finally {
    await db.close();
  }
}

export function printOutage(figures: OutageFigures): string[] {
  const share = (100 * figures.reads.answered) / Math.max(figures.reads.asked, 1);
  console.log(`\nDatabase outage on PostgreSQL (TCP proxy cut for ${figures.outageSeconds} s under 10 connections of reads: betaFeatures.list, flags.evaluate, REST list, /api/flags/snapshot):`);
  console.log(`  reads answered during the outage: ${figures.reads.answered} of ${figures.reads.asked} (${share.toFixed(2)} %)`);
  console.log(`  a toggle during the outage: ${figures.write.status} ${figures.write.code ?? ''}, Retry-After ${figures.write.retryAfter ?? 'none'}, in ${figures.write.ms.toFixed(0)} ms`);
  console.log(`  log lines written during the outage and recovery: ${figures.logLines}`);
  console.log(`  after restore: listening again in ${figures.listeningAfterMs.toFixed(0)} ms, a change written then served in ${figures.changeServedAfterMs.toFixed(0)} ms, /healthz ok in ${figures.healthyAfterMs.toFixed(0)} ms`);
  const spread = (ms: number[]) => `median ${median(ms).toFixed(0)} ms (${ms[0]!.toFixed(0)}–${ms.at(-1)!.toFixed(0)})`;
  console.log(`Kill (admin.flags.kill over HTTP from the operator's own thread, 200 connections of toggles) sent ${KILL_AFTER_MS} ms into ${BURST} toggles, ${KILL_ROUNDS} bursts each:`);
  console.log(`  priority lane: ${spread(figures.kill.priorityMs)}; main pool: ${spread(figures.kill.mainMs)} (the operator's token cached)`);
  console.log(`  priority lane, the token looked up first (on the priority lane too): ${spread(figures.kill.priorityColdTokenMs)}`);
  console.log(`  the server's event-loop delay during the burst, p99: ${spread(figures.kill.loopDelayP99Ms)} (paid per database round trip and by any request)`);
  const problems: string[] = [];
  if (figures.reads.answered < figures.reads.asked) problems.push(`outage: ${figures.reads.asked - figures.reads.answered} reads not answered`);
  if (figures.write.status !== 503 || figures.write.code !== 'BUSY') problems.push(`outage: a write answered ${figures.write.status} ${figures.write.code ?? ''}, not 503 BUSY`);
  if (median(figures.kill.priorityMs) >= 100) problems.push(`kill during a burst: median ${median(figures.kill.priorityMs).toFixed(0)} ms, not under 100 ms`);
  if (median(figures.kill.priorityColdTokenMs) >= 100) problems.push(`kill during a burst with an uncached token: median ${median(figures.kill.priorityColdTokenMs).toFixed(0)} ms, not under 100 ms`);
  if (figures.kill.burstStillRunning.includes(false)) problems.push('kill during a burst: the burst was over before the kill, the figure proves nothing');
  return problems;
}
