export interface Summary {
  system: string;
  batches: number;
  medianNsPerEval: number;
  p99NsPerEval: number;
  meanNsPerEval: number;
  /** From the mean: total evaluations over total time. */
  evalsPerSecond: number;
  onRate: number;
  notes: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `perEval` holds one mean ns/eval per timed batch. */
export function summarize(system: string, perEval: number[], onRate: number, notes: string): Summary {
  const sorted = [...perEval].sort((a, b) => a - b);
  const mean = perEval.reduce((sum, ns) => sum + ns, 0) / perEval.length;
  return {
    system,
    batches: perEval.length,
    medianNsPerEval: percentile(sorted, 50),
    p99NsPerEval: percentile(sorted, 99),
    meanNsPerEval: mean,
    evalsPerSecond: 1e9 / mean,
    onRate,
    notes,
  };
}

export interface Ratio {
  median: number;
  p99: number;
}

/** Ours over theirs, for the median and the p99: below 1.0 means ours is faster. */
export function ratio(ours: Summary, theirs: Summary): Ratio {
  return { median: ours.medianNsPerEval / theirs.medianNsPerEval, p99: ours.p99NsPerEval / theirs.p99NsPerEval };
}

/** One row per (form, summary). */
export function table(rows: ReadonlyArray<readonly [form: string, summary: Summary]>): string {
  const header = ['form', 'system', 'median ns/eval', 'p99 ns/eval', 'mean ns/eval', 'evals/s', 'on-rate'];
  const cells = rows.map(([form, s]) => [
    form,
    s.system,
    s.medianNsPerEval.toFixed(0),
    s.p99NsPerEval.toFixed(0),
    s.meanNsPerEval.toFixed(0),
    Math.round(s.evalsPerSecond).toLocaleString('en-US'),
    `${(s.onRate * 100).toFixed(2)} %`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
