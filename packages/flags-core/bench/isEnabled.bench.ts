/**
 * isEnabled on a warm cache: Stagegate's FlagClient against unleash-client and posthog-node local
 * evaluation, with equivalent flags (100, same stages and rollout percentages) and 10,000 users.
 *
 * Like is compared with like: Stagegate's synchronous `isEnabledSync` with Unleash's synchronous
 * `isEnabled`, and Stagegate's awaited `isEnabled` with Unleash's answer awaited in a promise. Those
 * two systems run side by side in interleaved rounds (who goes first rotates), so machine noise hits
 * both alike. PostHog (async only, ~50× slower) runs in a phase of its own afterwards: interleaved,
 * its memory traffic would flush the caches the other two run from and skew their ratio.
 *
 * Two scenarios, because Stagegate keeps each user's answers with their cached state:
 *  - repeat: pairs (flag, user) evaluated before — a service's steady state;
 *  - first:  pairs never evaluated before — every Stagegate answer computes its SHA-1.
 *
 *   pnpm bench            (BENCH_ROUNDS=… sets the measured rounds per scenario and form)
 *
 * Writes bench/results.json (not committed).
 */
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeWorkload, posthog, stagegate, unleash, type System } from './systems.js';
import { ratio, summarize, table, type Ratio, type Summary } from './report.js';

const FLAGS = 100;
const USERS = 10_000;
const BATCH = 1_000;
/** Batches [0, REPEAT_BATCHES) are evaluated during warm-up and measured again; later ones are fresh. */
const REPEAT_BATCHES = 100;
const CHECK_BATCHES = 20;
/** Each form's first-time scenario needs batches of its own, so the two share the fresh ones. */
const ROUNDS = Math.min(Number(process.env.BENCH_ROUNDS ?? 300), Math.floor(((FLAGS * USERS) / BATCH - REPEAT_BATCHES) / 2));
/** PostHog takes ~50 µs an answer: fewer rounds give it the same statistical footing in a tenth of the time. */
const POSTHOG_ROUNDS = Math.min(ROUNDS, 100);

type Scenario = 'repeat' | 'first';
type Form = 'sync' | 'async';
const SCENARIOS: Scenario[] = ['repeat', 'first'];
const FORMS: Form[] = ['sync', 'async'];

/** Which batch round `round` of a scenario and form evaluates. */
function batchOf(scenario: Scenario, form: Form, round: number): number {
  if (scenario === 'repeat') return round % REPEAT_BATCHES;
  return REPEAT_BATCHES + (form === 'sync' ? 0 : ROUNDS) + round;
}

async function timeBatch(system: System, form: Form, batch: number): Promise<{ ns: number; on: number }> {
  const [from, to] = [batch * BATCH, (batch + 1) * BATCH];
  if (form === 'sync') {
    const runSync = system.runSync;
    if (runSync === undefined) throw new Error(`${system.name} has no synchronous API`);
    const start = process.hrtime.bigint();
    const on = runSync(from, to);
    return { ns: Number(process.hrtime.bigint() - start), on };
  }
  const start = process.hrtime.bigint();
  const on = await system.runAsync(from, to);
  return { ns: Number(process.hrtime.bigint() - start), on };
}

/** Runs one batch per system per round, rotating who goes first; returns ns/eval per batch and on-counts. */
async function rounds(systems: System[], form: Form, count: number, batch: (round: number) => number) {
  const samples = systems.map((): number[] => []);
  const on = systems.map(() => 0);
  for (let round = 0; round < count; round++) {
    for (let k = 0; k < systems.length; k++) {
      const index = (round + k) % systems.length;
      const result = await timeBatch(systems[index]!, form, batch(round));
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
    for (let from = 0; from < pairs; from += BATCH) on += await system.runAsync(from, from + BATCH, answers[i]!.subarray(from, from + BATCH));
    onRates.push(on / pairs);
  }
  let stagegatePosthogMismatches = 0;
  for (let j = 0; j < pairs; j++) if (answers[0]![j] !== answers[2]![j]) stagegatePosthogMismatches++;
  // The synchronous form must give the awaited form's answers.
  const syncAnswers = new Uint8Array(pairs);
  for (let from = 0; from < pairs; from += BATCH) systems[0]!.runSync?.(from, from + BATCH, syncAnswers.subarray(from, from + BATCH));
  let syncAsyncMismatches = 0;
  for (let j = 0; j < pairs; j++) if (syncAnswers[j] !== answers[0]![j]) syncAsyncMismatches++;
  return { pairs, onRates, stagegatePosthogMismatches, syncAsyncMismatches };
}

const fmt = (r: Ratio) => `median ${r.median.toFixed(3)}  p99 ${r.p99.toFixed(3)}`;

export async function main(): Promise<void> {
  const started = Date.now();
  const workload = makeWorkload(FLAGS, USERS);
  const [ours, theirs, ph] = [stagegate(workload), await unleash(workload), await posthog(workload)];
  const systems = [ours, theirs, ph];
  const pair = [ours, theirs];
  try {
    console.log(`isEnabled on a warm cache: ${FLAGS} flags, ${USERS.toLocaleString('en-US')} users, batches of ${BATCH}`);
    console.log(`Stagegate and Unleash: ${ROUNDS} interleaved rounds per scenario and form; PostHog: ${POSTHOG_ROUNDS} rounds in its own phase`);
    console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}\n`);

    for (const system of systems) await system.prepare();
    const checked = await check(systems);
    // The rest of the repeat batches, in both forms, so every repeat pair is decided before it is measured.
    for (const form of FORMS) await rounds(pair, form, REPEAT_BATCHES - CHECK_BATCHES, (round) => CHECK_BATCHES + round);
    for (const system of systems) system.notes(); // count from the measured rounds on

    const results: Record<Scenario, Record<Form, Summary[]>> = { repeat: { sync: [], async: [] }, first: { sync: [], async: [] } };
    for (const scenario of SCENARIOS) {
      for (const form of FORMS) {
        const { samples, on } = await rounds(pair, form, ROUNDS, (round) => batchOf(scenario, form, round));
        results[scenario][form] = pair.map((system, i) => summarize(system.name, samples[i]!, on[i]! / (samples[i]!.length * BATCH), system.notes()));
      }
    }
    // PostHog last, alone: its allocations can no longer evict what the others run from.
    for (const scenario of SCENARIOS) {
      const { samples, on } = await rounds([ph], 'async', POSTHOG_ROUNDS, (round) => batchOf(scenario, 'async', round));
      results[scenario].async.push(summarize(ph.name, samples[0]!, on[0]! / (samples[0]!.length * BATCH), ph.notes()));
    }

    const ratios = Object.fromEntries(
      SCENARIOS.map((scenario) => {
        const [sync, async] = [results[scenario].sync, results[scenario].async];
        return [scenario, { syncOverUnleashSync: ratio(sync[0]!, sync[1]!), asyncOverUnleashAsync: ratio(async[0]!, async[1]!), asyncOverPosthog: ratio(async[0]!, async[2]!) }];
      }),
    ) as Record<Scenario, { syncOverUnleashSync: Ratio; asyncOverUnleashAsync: Ratio; asyncOverPosthog: Ratio }>;

    for (const scenario of SCENARIOS) {
      console.log(scenario === 'repeat' ? 'repeat evaluations (pairs evaluated before):' : 'first evaluations (pairs never evaluated before):');
      console.log(table([...results[scenario].sync.map((s) => ['sync', s] as const), ...results[scenario].async.map((s) => ['async', s] as const)]));
      console.log('ratio of ns/eval, below 1.0 = Stagegate faster:');
      console.log(`  sync  Stagegate isEnabledSync / Unleash isEnabled            ${fmt(ratios[scenario].syncOverUnleashSync)}`);
      console.log(`  async Stagegate await isEnabled / Unleash awaited isEnabled  ${fmt(ratios[scenario].asyncOverUnleashAsync)}`);
      console.log(`  async Stagegate await isEnabled / PostHog isFeatureEnabled   ${fmt(ratios[scenario].asyncOverPosthog)}\n`);
    }
    console.log('checks');
    console.log(`  on-rate over ${checked.pairs.toLocaleString('en-US')} pairs: ${systems.map((s, i) => `${s.name} ${(checked.onRates[i]! * 100).toFixed(2)} %`).join(', ')}`);
    console.log(`  Stagegate vs PostHog answers differing (same hash, must be 0): ${checked.stagegatePosthogMismatches}`);
    console.log(`  Stagegate sync vs awaited answers differing (must be 0): ${checked.syncAsyncMismatches}`);
    for (const scenario of SCENARIOS) {
      for (const form of FORMS) for (const summary of results[scenario][form]) console.log(`  ${scenario}, ${form}, ${summary.system}: ${summary.notes}`);
    }
    console.log(`\ntotal time ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const json = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? null, cores: cpus().length };
    const output = { ...json, flags: FLAGS, users: USERS, batchSize: BATCH, rounds: ROUNDS, posthogRounds: POSTHOG_ROUNDS, results, ratios, checks: checked };
    await writeFile(fileURLToPath(new URL('./results.json', import.meta.url)), `${JSON.stringify(output, null, 2)}\n`);
  } finally {
    await Promise.all(systems.map((system) => system.close()));
  }
}

await main();
