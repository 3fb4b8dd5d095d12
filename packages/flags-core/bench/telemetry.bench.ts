/**
 * The cost of SDK telemetry per evaluation: the same warm-cache isEnabledSync / isEnabled calls on
 * two clients, one with telemetry on (a source that accepts reports, flushed every 20 s as by
 * default) and one with `telemetry: false`, in interleaved rounds (who goes first alternates).
 * Goal (issue 10): on costs under 10 % more than off. Run: pnpm --filter @stagegate/flags-core bench:telemetry
 */
import { createFlagClient, createMemorySource, newFlag, type FlagClient, type MetricsReport } from '../src/index.js';

const FLAGS = 100;
const USERS = 2_000;
const BATCH = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

const definitions = Array.from({ length: FLAGS }, (_, i) =>
  newFlag({ key: `bench-flag-${i}`, name: `bench ${i}`, stage: 'ga', ttlStart: new Date('2026-01-01T00:00:00Z'), ttlDays: 90, category: 'bench', owner: 'bench@example.com', rolloutPercentage: (i * 7) % 100 }),
);
const contexts = Array.from({ length: USERS }, (_, i) => ({ userId: `user-${i}-${(i * 2654435761) % 4294967296}`, workspaceId: `ws-${i % 50}` }));
const keys = definitions.map((flag) => flag.key);

let reports = 0;
const clients: Record<'on' | 'off', FlagClient> = {
  on: createFlagClient({
    source: { ...createMemorySource(definitions), reportMetrics: async (_report: MetricsReport) => void reports++ },
    flagsTtlMs: 3_600_000,
    userStateTtlMs: 3_600_000,
  }),
  off: createFlagClient({ source: createMemorySource(definitions), flagsTtlMs: 3_600_000, userStateTtlMs: 3_600_000, telemetry: false }),
};

const pair = (i: number) => [keys[(i * 31) % FLAGS]!, contexts[(i * 17) % USERS]!] as const;

function runSync(client: FlagClient, offset: number): number {
  let on = 0;
  const start = process.hrtime.bigint();
  for (let i = offset; i < offset + BATCH; i++) {
    const [key, ctx] = pair(i);
    if (client.isEnabledSync(key, ctx) === true) on++;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (on < 0) throw new Error('unreachable');
  return ns / BATCH;
}

async function runAsync(client: FlagClient, offset: number): Promise<number> {
  let on = 0;
  const start = process.hrtime.bigint();
  for (let i = offset; i < offset + BATCH; i++) {
    const [key, ctx] = pair(i);
    if (await client.isEnabled(key, ctx)) on++;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (on < 0) throw new Error('unreachable');
  return ns / BATCH;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

for (const client of Object.values(clients)) {
  await client.ready();
  for (const ctx of contexts) for (const key of keys) await client.isEnabled(key, ctx);
}

for (const form of ['sync', 'async'] as const) {
  const samples = { on: [] as number[], off: [] as number[] };
  for (let round = 0; round < ROUNDS + 20; round++) {
    const order = round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
    for (const which of order) {
      const ns = form === 'sync' ? runSync(clients[which], round * BATCH) : await runAsync(clients[which], round * BATCH);
      if (round >= 20) samples[which].push(ns);
    }
  }
  await clients.on.flushMetrics();
  const [on, off] = [median(samples.on), median(samples.off)];
  console.log(`${form.padEnd(5)} telemetry on ${on.toFixed(1)} ns/eval, off ${off.toFixed(1)} ns/eval: ${(((on - off) / off) * 100).toFixed(1)} % (goal < 10 %)`);
}
console.log(`reports sent by the telemetry client: ${reports}, pending ${clients.on.stats().telemetry?.pendingWindows ?? 0}`);
await Promise.all(Object.values(clients).map((client) => client.close()));
