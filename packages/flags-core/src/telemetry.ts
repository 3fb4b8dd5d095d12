/**
 * The SDK's background telemetry: per flag, evaluations by result and reason, and per route() path
 * calls, errors, fallbacks and a latency histogram. Counting is an increment on the evaluation path;
 * everything else (cutting windows, building and sending reports) runs on a timer, off that path.
 */
import { withDeadline } from './deadline.js';
import type { CompiledFlag } from './decisions.js';
import type { FlagSet } from './flag-cache.js';
import { LATENCY_BUCKETS_MS, MAX_FLAGS_PER_WINDOW, MAX_WINDOWS_PER_REPORT, type FlagMetrics, type MetricsReport, type MetricsWindow, type PathMetrics } from './metrics-wire.js';
import { REASONS, FlagKey } from './schema.js';
import type { FlagSource } from './source.js';

export interface TelemetryOptions {
  /** How often counts are cut into a window and sent. Default 20 s. */
  intervalMs?: number;
  /** Unsent windows kept while the API is unreachable; past it the oldest is dropped (and counted). Default and most MAX_WINDOWS_PER_REPORT (90: 30 min at 20 s). */
  maxPendingWindows?: number;
}

export interface TelemetryStats {
  /** Windows cut and waiting to be sent. */
  pendingWindows: number;
  sentReports: number;
  failedReports: number;
  /** Dropped since the client started because a bound was reached. */
  dropped: { windows: number; evaluations: number; routeCalls: number };
}

/** Decision codes are 1..2 × REASONS (see decisions.ts); index 0 is unused. */
const CODES = REASONS.length * 2 + 1;

export class PathCounts {
  calls = 0;
  errors = 0;
  sumMs = 0;
  readonly buckets = new Float64Array(LATENCY_BUCKETS_MS.length + 1);
  record(ms: number, failed: boolean): void {
    this.calls++;
    if (failed) this.errors++;
    this.sumMs += ms;
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]!) i++;
    this.buckets[i]!++;
  }
  wire(): PathMetrics {
    return { calls: this.calls, errors: this.errors, latencyMs: [...this.buckets], latencySumMs: Math.round(this.sumMs * 1000) / 1000 };
  }
}

export class RouteCounts {
  readonly enabled = new PathCounts();
  readonly disabled = new PathCounts();
  fallbacks = 0;
}

class FlagCounts {
  readonly evaluations = new Float64Array(CODES);
  route: RouteCounts | undefined = undefined;
  constructor(readonly key: string) {}
  wire(): FlagMetrics {
    const evaluations: FlagMetrics['evaluations'] = [];
    for (let code = 1; code < CODES; code++) {
      const count = this.evaluations[code]!;
      if (count > 0) evaluations.push({ reason: REASONS[(code - 1) >> 1]!, enabled: ((code - 1) & 1) === 1, count });
    }
    const metrics: FlagMetrics = { key: this.key, evaluations };
    if (this.route !== undefined) metrics.route = { enabled: this.route.enabled.wire(), disabled: this.route.disabled.wire(), fallbacks: this.route.fallbacks };
    return metrics;
  }
}

const sum = (values: ArrayLike<number>) => {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
};
const routeCalls = (flags: readonly FlagMetrics[]) => flags.reduce((total, flag) => total + (flag.route ? flag.route.enabled.calls + flag.route.disabled.calls : 0), 0);
const evaluationsIn = (flags: readonly FlagMetrics[]) => flags.reduce((total, flag) => total + flag.evaluations.reduce((n, e) => n + e.count, 0), 0);

export interface Telemetry {
  /** A cached answer for a flag of the served set: the hot path (an identity check and an increment). */
  count(flags: FlagSet, flag: CompiledFlag, decision: number): void;
  /** Any other answer, by key. */
  countKey(key: string, decision: number): void;
  /** The route counters of `key` in the current window. */
  route(key: string): RouteCounts;
  /** Cuts the current window and sends what is pending; false when the send failed or another is in flight. */
  flush(): Promise<boolean>;
  stats(): TelemetryStats;
  /** Stops the timer and sends what is left, once. */
  close(): Promise<void>;
}

/** Telemetry for a client, or undefined when it is switched off or the source cannot send it. */
export function createTelemetry(
  source: FlagSource,
  options: TelemetryOptions | false | undefined,
  deps: { clock: () => number; timeoutMs: number; report: (error: unknown) => void },
): Telemetry | undefined {
  const send = source.reportMetrics?.bind(source);
  if (options === false || send === undefined) return undefined;
  const intervalMs = options?.intervalMs ?? 20_000;
  const maxPending = Math.max(1, Math.min(options?.maxPendingWindows ?? MAX_WINDOWS_PER_REPORT, MAX_WINDOWS_PER_REPORT));
  const { clock, timeoutMs, report } = deps;

  let window = new Map<string, FlagCounts>();
  let windowStart = clock();
  /** Counts for flags past MAX_FLAGS_PER_WINDOW (or with keys the wire refuses): only their number is kept, as dropped. */
  let overflow = new FlagCounts('');
  /** The current window's counts by slot of `boundTo`, so a cached answer skips the key lookup. */
  let bySlot: Array<FlagCounts | undefined> = [];
  let boundTo: FlagSet | undefined;
  const pending: MetricsWindow[] = [];
  const dropped = { windows: 0, evaluations: 0, routeCalls: 0 };
  /** Dropped since the last report the API accepted: what the next report says. */
  const droppedSinceSent = { ...dropped };
  let sentReports = 0;
  let failedReports = 0;
  let sending: Promise<boolean> | undefined;
  let closed = false;

  const countsOf = (key: string): FlagCounts => {
    let counts = window.get(key);
    if (counts !== undefined) return counts;
    if (window.size >= MAX_FLAGS_PER_WINDOW || !FlagKey.safeParse(key).success) return overflow;
    counts = new FlagCounts(key);
    window.set(key, counts);
    return counts;
  };

  const drop = (what: { windows?: number; evaluations?: number; routeCalls?: number }) => {
    for (const counter of [dropped, droppedSinceSent]) {
      counter.windows += what.windows ?? 0;
      counter.evaluations += what.evaluations ?? 0;
      counter.routeCalls += what.routeCalls ?? 0;
    }
  };

  function cut(): void {
    const end = clock();
    const flags = [...window.values()].map((counts) => counts.wire());
    const lostCalls = overflow.route === undefined ? 0 : overflow.route.enabled.calls + overflow.route.disabled.calls;
    drop({ evaluations: sum(overflow.evaluations), routeCalls: lostCalls });
    if (flags.length > 0) pending.push({ start: new Date(windowStart), end: new Date(end), flags });
    while (pending.length > maxPending) {
      const oldest = pending.shift()!;
      drop({ windows: 1, evaluations: evaluationsIn(oldest.flags), routeCalls: routeCalls(oldest.flags) });
    }
    window = new Map();
    overflow = new FlagCounts('');
    bySlot = [];
    boundTo = undefined;
    windowStart = end;
  }

  async function deliver(): Promise<boolean> {
    const windows = pending.slice();
    const reportedDrops = { ...droppedSinceSent };
    if (windows.length === 0 && reportedDrops.windows + reportedDrops.evaluations + reportedDrops.routeCalls === 0) return true;
    const body: MetricsReport = { sentAt: new Date(clock()), windows, dropped: reportedDrops };
    try {
      await withDeadline('POST /api/flags/metrics', timeoutMs, (signal) => send!(body, { signal }));
    } catch (error) {
      failedReports++;
      report(error);
      return false;
    }
    sentReports++;
    // Windows cut (or dropped) while the report was on its way stay for the next one.
    pending.splice(0, pending.indexOf(windows[windows.length - 1]!) + 1);
    for (const field of ['windows', 'evaluations', 'routeCalls'] as const) droppedSinceSent[field] -= reportedDrops[field];
    return true;
  }

  function flush(): Promise<boolean> {
    cut();
    // One report in flight at a time: an API that is slow or down gets one request per interval, never a storm.
    if (sending !== undefined) return Promise.resolve(false);
    sending = deliver().finally(() => (sending = undefined));
    return sending;
  }

  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();

  return {
    count(flags, flag, decision) {
      if (flags !== boundTo) {
        boundTo = flags;
        bySlot = [];
      }
      (bySlot[flag.slot] ??= countsOf(flag.definition.key)).evaluations[decision]!++;
    },
    countKey(key, decision) {
      countsOf(key).evaluations[decision]!++;
    },
    route(key) {
      const counts = countsOf(key);
      return (counts.route ??= new RouteCounts());
    },
    flush,
    stats: () => ({ pendingWindows: pending.length, sentReports, failedReports, dropped: { ...dropped } }),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await sending;
      await flush();
    },
  };
}
