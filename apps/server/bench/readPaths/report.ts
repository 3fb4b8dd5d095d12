import { median } from './measure.js';
import { SCENARIOS, SYSTEMS, type Scenario, type System } from './scenarios.js';

/** One system on one path: a value per round. */
export interface Figures {
  p50: number[];
  p99: number[];
  rps: number[];
  failed: number;
}

export interface SizeResult {
  total: number;
  figures: ReadonlyMap<Scenario, Record<System, Figures>>;
  bytes: ReadonlyMap<Scenario, number>;
  /** Load averages (1, 5, 15 min) before → after. */
  load: string;
}

/** Throughput goals against bare Express, from the resilience issue. */
const THROUGHPUT_GOAL: Record<Scenario['kind'], number> = { rest: 0.7, sdk: 0.7, trpc: 0.5 };
const LIST_GOAL = 2;
/** "Flat": the 5,000-flag p50 within this factor of the 10-flag one (the machine's noise is about that). */
const FLAT = 1.25;

const us = (value: number) => value.toFixed(value < 100 ? 1 : 0);
const ratio = (value: number) => `${value.toFixed(2)}×`;

function table(columns: string[], lines: string[][]) {
  const widths = columns.map((column, i) => Math.max(column.length, ...lines.map((line) => (line[i] ?? '').length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  console.log(format(columns));
  console.log(`|${widths.map((width, i) => (i === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

const medians = (figures: Figures) => ({ p50: median(figures.p50), p99: median(figures.p99), rps: median(figures.rps) });

export function printSize(result: SizeResult) {
  console.log(`\n${result.total.toLocaleString('en')} flags (load ${result.load}); latency in µs, one connection`);
  const lines = SCENARIOS.map((scenario) => {
    const cells = result.figures.get(scenario)!;
    const [sg, ex, raw] = SYSTEMS.map((system) => medians(cells[system]));
    return [
      scenario.name,
      String(result.bytes.get(scenario)),
      ...[sg!, ex!, raw!].flatMap((m) => [us(m.p50), us(m.p99)]),
      ratio(sg!.p50 / raw!.p50),
      ratio(sg!.p50 / ex!.p50),
      ...[sg!, ex!, raw!].map((m) => m.rps.toFixed(0)),
      ratio(sg!.rps / ex!.rps),
    ];
  });
  table(['path', 'body B', 'Stagegate p50', 'p99', 'Express p50', 'p99', 'raw p50', 'p99', 'p50 ×raw', 'p50 ×Express', 'req/s Stagegate', 'Express', 'raw', 'req/s ×Express'], lines);
}

/** Prints each goal as met or not; true when any request failed. */
export function printGoals(results: readonly SizeResult[]): boolean {
  const find = (name: string) => SCENARIOS.find((scenario) => scenario.name === name)!;
  const p50 = (result: SizeResult, scenario: Scenario, system: System) => median(result.figures.get(scenario)![system].p50);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const lines: string[] = [];

  const list = find('REST /api/beta-features');
  const listRatios = results.map((result) => p50(result, list, 'stagegate') / p50(result, list, 'raw'));
  lines.push(`REST list p50 ≤ ${LIST_GOAL}× raw at every size: ${listRatios.map(ratio).join(', ')} — ${verdict(listRatios.every((r) => r <= LIST_GOAL))}`);

  const first = results[0];
  const last = results.at(-1);
  if (first && last && first !== last) {
    for (const name of ['snapshot 304', 'tRPC flags.evaluate (3 keys)']) {
      const scenario = find(name);
      const growth = p50(last, scenario, 'stagegate') / p50(first, scenario, 'stagegate');
      lines.push(`${name} flat (p50 at ${last.total} / at ${first.total} ≤ ${FLAT}): ${ratio(growth)} — ${verdict(growth <= FLAT)}`);
    }
  }
  for (const scenario of SCENARIOS) {
    const goal = THROUGHPUT_GOAL[scenario.kind];
    const ratios = results.map((result) => median(result.figures.get(scenario)!.stagegate.rps) / median(result.figures.get(scenario)!.express.rps));
    lines.push(`${scenario.name} throughput ≥ ${goal}× bare Express: ${ratios.map(ratio).join(', ')} — ${verdict(ratios.every((r) => r >= goal))}`);
  }
  const failures = results.flatMap((result) =>
    SCENARIOS.flatMap((scenario) => SYSTEMS.filter((system) => result.figures.get(scenario)![system].failed > 0).map((system) => `${result.total} flags ${scenario.name} ${system}`)),
  );
  if (failures.length > 0) lines.push(`failed requests: ${failures.join('; ')}`);
  console.log(`\nGoals (sizes ${results.map((result) => result.total).join(', ')}):\n  ${lines.join('\n  ')}`);
  return failures.length > 0;
}
