/**
 * isEnabled on a warm cache: Stagegate's FlagClient against unleash-client and posthog-node local
 * evaluation, with equivalent flags (100, same stages and rollout percentages) and 10,000 users.
 * Batches of evaluations are timed in interleaved rounds so machine noise hits all three alike.
 *
 * Two scenarios, because Stagegate keeps each user's answers with their cached state:
 *  - repeat: pairs (flag, user) every system has evaluated before — a service's steady state;
 *  - first:  pairs no system has evaluated before — every Stagegate answer computes its SHA-1.
 *
 *   pnpm bench            (BENCH_ROUNDS=… sets the measured rounds per scenario)
 *
 * Writes bench/results.json (not committed).
 */
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeWorkload, posthog, stagegate, unleash, type System } from './systems.js';
import { summarize, table, type Summary } from './report.js';

const FLAGS = 100;
const USERS = 10_000;
const BATCH = 1_000;
/** Batches [0, REPEAT_BATCHES) are evaluated during warm-up and measured again; later ones are fresh. */
const REPEAT_BATCHES = 100;
const CHECK_BATCHES = 20;
const ROUNDS = Math.min(Number(process.env.BENCH_ROUNDS ?? 300), (FLAGS * USERS) / BATCH - REPEAT_BATCHES);

type Scenario = 'repeat' | 'first';

async function timeBatch(system: System, batch: number): Promise<{ ns: number; on: number }> {
  const start = process.hrtime.bigint();
  const on = await system.runBatch(batch * BATCH, (batch + 1) * BATCH);
  return { ns: Number(process.hrtime.bigint() - start), on };
}

/** Runs `batchOf(round)` on every system per round, rotating who goes first; returns ns/eval per batch and on-counts. */
async function rounds(systems: System[], count: number, batchOf: (round: number) => number) {
  const samples = systems.map((): number[] => []);
  const on = systems.map(() => 0);
  for (let round = 0; round < count; round++) {
    for (let k = 0; k < systems.length; k++) {
      const index = (round + k) % systems.length;
      const result = await timeBatch(systems[index]!, batchOf(round));
      samples[index]!.push(result.ns / BATCH);
      on[index]! += result.on;
    }
  }
  return { samples, on };
}

/** Same pairs for all; Stagegate and PostHog share the rollout hash, so their answers must agree exactly. */
async function check(systems: System[]) {
  const pairs = CHECK_BATCHES * BATCH;
  const answers = systems.map(() => new Uint8Array(pairs));
  const onRates: number[] = [];
  for (const [i, system] of systems.entries()) {
    let on = 0;
    for (let from = 0; from < pairs; from += BATCH) on += await system.runBatch(from, from + BATCH, answers[i]!.subarray(from, from + BATCH));
    onRates.push(on / pairs);
  }
  let stagegatePosthogMismatches = 0;
  for (let j = 0; j < pairs; j++) if (answers[0]![j] !== answers[2]![j]) stagegatePosthogMismatches++;
  return { pairs, onRates, stagegatePosthogMismatches };
}

export async function main(): Promise<void> {
  const started = Date.now();
  const workload = makeWorkload(FLAGS, USERS);
  const systems = [stagegate(workload), await unleash(workload), await posthog(workload)];
  try {
    console.log(`isEnabled on a warm cache: ${FLAGS} flags, ${USERS.toLocaleString('en-US')} users, batches of ${BATCH}, ${ROUNDS} interleaved rounds per scenario`);
    console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}\n`);

    for (const system of systems) await system.prepare();
    const checked = await check(systems);
    await rounds(systems, REPEAT_BATCHES - CHECK_BATCHES, (round) => CHECK_BATCHES + round);
    for (const system of systems) system.notes(); // count from the measured rounds on

    const results: Record<Scenario, Summary[]> = { repeat: [], first: [] };
    for (const scenario of ['repeat', 'first'] as const) {
      const batchOf = scenario === 'repeat' ? (round: number) => round % REPEAT_BATCHES : (round: number) => REPEAT_BATCHES + round;
      const { samples, on } = await rounds(systems, ROUNDS, batchOf);
      results[scenario] = systems.map((system, i) => summarize(system.name, samples[i]!, on[i]! / (samples[i]!.length * BATCH), system.notes()));
    }

    const ratio = (scenario: Scenario, other: number) => {
      const [ours, theirs] = [results[scenario][0]!, results[scenario][other]!];
      return { median: ours.medianNsPerEval / theirs.medianNsPerEval, p99: ours.p99NsPerEval / theirs.p99NsPerEval };
    };
    const ratios = {
      repeat: { stagegateOverUnleash: ratio('repeat', 1), stagegateOverPosthog: ratio('repeat', 2) },
      first: { stagegateOverUnleash: ratio('first', 1), stagegateOverPosthog: ratio('first', 2) },
    };

    for (const scenario of ['repeat', 'first'] as const) {
      console.log(scenario === 'repeat' ? 'repeat evaluations (pairs evaluated before):' : 'first evaluations (pairs never evaluated before):');
      console.log(table(results[scenario]));
      console.log(`ratio of ns/eval, below 1.0 = Stagegate faster:`);
      console.log(`  Stagegate / Unleash  median ${ratios[scenario].stagegateOverUnleash.median.toFixed(3)}  p99 ${ratios[scenario].stagegateOverUnleash.p99.toFixed(3)}`);
      console.log(`  Stagegate / PostHog  median ${ratios[scenario].stagegateOverPosthog.median.toFixed(3)}  p99 ${ratios[scenario].stagegateOverPosthog.p99.toFixed(3)}\n`);
    }
    console.log('checks');
    console.log(`  on-rate over ${checked.pairs.toLocaleString('en-US')} pairs: ${systems.map((s, i) => `${s.name} ${(checked.onRates[i]! * 100).toFixed(2)} %`).join(', ')}`);
    console.log(`  Stagegate vs PostHog answers differing (same hash, must be 0): ${checked.stagegatePosthogMismatches}`);
    for (const scenario of ['repeat', 'first'] as const) {
      for (const summary of results[scenario]) console.log(`  ${scenario}, ${summary.system}: ${summary.notes}`);
    }
    console.log(`\ntotal time ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const json = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? null, cores: cpus().length };
    const output = { ...json, flags: FLAGS, users: USERS, batchSize: BATCH, roundsPerScenario: ROUNDS, results, ratios, checks: checked };
    await writeFile(fileURLToPath(new URL('./results.json', import.meta.url)), `${JSON.stringify(output, null, 2)}\n`);
  } finally {
    await Promise.all(systems.map((system) => system.close()));
  }
}

await main();
