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

export function table(summaries: Summary[]): string {
  const header = ['system', 'median ns/eval', 'p99 ns/eval', 'mean ns/eval', 'evals/s', 'on-rate'];
  const rows = summaries.map((s) => [
    s.system,
    s.medianNsPerEval.toFixed(0),
    s.p99NsPerEval.toFixed(0),
    s.meanNsPerEval.toFixed(0),
    Math.round(s.evalsPerSecond).toLocaleString('en-US'),
    `${(s.onRate * 100).toFixed(2)} %`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
