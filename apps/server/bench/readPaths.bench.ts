// `pnpm bench` in apps/server, second part: the read paths at 10 to 5,000 flags (inserted by SQL
// into a fresh database: PostgreSQL when DATABASE_URL or STAGEGATE_TEST_PG names a server, else
// PGlite), each beside a bare Express and a raw node:http server sending the bytes the real server
// sent. Latency: sequential requests over one connection, client in a worker thread. Throughput:
// autocannon over BENCH_CONNECTIONS (10). The three systems run in turn within each of BENCH_ROUNDS
// (3) rounds, their order rotated per round; every figure is the median over rounds.
import { loadavg } from 'node:os';
import { createAnalytics, createServices } from '@stagegate/api';
import { seedDemo } from '@stagegate/db/demo';
import { openTestDatabase } from '@stagegate/db/testing';
import { startServer } from '../src/testing/server.js';
import { responseKey, startExpressServer, startRawServer, type Baseline, type RecordedResponse } from './readPaths/baselines.js';
import { fillFlags } from './readPaths/flagRows.js';
import { latency, throughput } from './readPaths/measure.js';
import { printGoals, printSize, type Figures, type SizeResult } from './readPaths/report.js';
import { EVALUATED_KEYS, SCENARIOS, SYSTEMS, type Scenario, type System } from './readPaths/scenarios.js';

const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000,5000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** Per latency run: at least this many timed requests, and at least this long. */
const LATENCY = { warmup: 100, minRequests: 600, minMs: 600 };
/** Headers node:http writes itself: the baselines get them from their own stack. */
const OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

const pg = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : process.env.STAGEGATE_TEST_PG;
if (pg) process.env.STAGEGATE_TEST_PG = pg;

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

async function record(url: string, scenario: Scenario, headers: Record<string, string>): Promise<RecordedResponse> {
  const response = await fetch(`${url}${scenario.path}`, { headers });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== scenario.status) throw new Error(`${scenario.name} answered ${response.status}: ${body.toString().slice(0, 200)}`);
  const kept: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!OWN_HEADERS.has(name)) kept[name] = value;
  });
  return { status: response.status, headers: kept, body };
}

async function benchSize(total: number): Promise<SizeResult> {
  const loadBefore = load();
  const db = await openTestDatabase();
  await seedDemo(db, { env: {} });
  await fillFlags(db, total, EVALUATED_KEYS);
  const services = createServices({ db, analytics: createAnalytics({ apiKey: undefined, log: () => undefined }) });
  const server = await startServer(services);
  const baselines: Baseline[] = [];
  try {
    const responses = new Map<string, RecordedResponse>();
    const requestHeaders = new Map<Scenario, Record<string, string>>();
    let etag = '';
    for (const scenario of SCENARIOS) {
      const headers: Record<string, string> = { authorization: `Bearer ${scenario.token}`, ...(scenario.status === 304 && { 'if-none-match': etag }) };
      const answer = await record(server.url, scenario, headers);
      etag = String(answer.headers.etag ?? etag);
      requestHeaders.set(scenario, headers);
      responses.set(responseKey(scenario.path, headers['if-none-match']), answer);
    }
    baselines.push(await startExpressServer(responses), await startRawServer(responses));
    const urls: Record<System, string> = { stagegate: server.url, express: baselines[0]!.url, raw: baselines[1]!.url };

    const empty = (): Figures => ({ p50: [], p99: [], rps: [], failed: 0 });
    const figures = new Map<Scenario, Record<System, Figures>>(SCENARIOS.map((scenario) => [scenario, { stagegate: empty(), express: empty(), raw: empty() }]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = SYSTEMS.map((_, i) => SYSTEMS[(i + round) % SYSTEMS.length]!);
      for (const scenario of SCENARIOS) {
        const headers = requestHeaders.get(scenario)!;
        for (const system of order) {
          const result = await latency({ url: `${urls[system]}${scenario.path}`, headers, expectStatus: scenario.status, ...LATENCY });
          const cell = figures.get(scenario)![system];
          cell.p50.push(result.p50);
          cell.p99.push(result.p99);
          cell.failed += result.failed;
        }
        for (const system of order) {
          const result = await throughput(`${urls[system]}${scenario.path}`, headers, scenario.status, SECONDS, CONNECTIONS);
          const cell = figures.get(scenario)![system];
          cell.rps.push(result.rps);
          cell.failed += result.failed;
        }
      }
    }
    const bytes = new Map(SCENARIOS.map((scenario) => [scenario, responses.get(responseKey(scenario.path, requestHeaders.get(scenario)!['if-none-match']))!.body.length]));
    return { total, figures, bytes, load: `${loadBefore} → ${load()}` };
  } finally {
    for (const baseline of baselines) await baseline.close();
    await server.close();
    await services.close();
    await db.close();
  }
}

console.log(`\nRead paths on ${pg ? 'PostgreSQL' : 'PGlite'}, Node ${process.versions.node}, ${ROUNDS} interleaved rounds (medians), throughput ${SECONDS} s × ${CONNECTIONS} connections per run.`);
const results: SizeResult[] = [];
for (const total of SIZES) {
  const result = await benchSize(total);
  printSize(result);
  results.push(result);
}
const failed = printGoals(results);
process.exit(failed ? 1 : 0);
