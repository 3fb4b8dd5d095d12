import { Prisma, type Database } from '@stagegate/db';
import { REASONS, type FlagResolution, type Reason } from '@stagegate/flags-core';
import { createLogger, type Logger } from '../logger.js';
import type { EvaluationCounter } from '../services.js';

export interface EvaluationCounterOptions {
  /** How often counts are added to the database in the background (0: only on flush/close). */
  flushIntervalMs?: number;
  /** Told when a background flush failed; its counts are kept for the next one. Default: a line in `logger`. */
  onError?: (error: unknown) => void;
  logger?: Logger;
}

export interface EvaluationCounterHandle extends EvaluationCounter {
  /** Stops the background flush and adds what is left. */
  close(): Promise<void>;
}

interface Count {
  evaluations: number;
  enabled: number;
  /** This flag's running totals since the process started (shared by every day's Count of the flag). */
  totals: number[];
  /** The answer counted last and its totals slot: answers are shared objects, so a repeat costs an identity check. */
  last: FlagResolution | undefined;
  lastSlot: number;
}

/** A flag's evaluations since the process started, by reason and result: what `/metrics` exposes. */
export interface EvaluationTotal {
  flag: string;
  reason: Reason;
  enabled: boolean;
  count: number;
}

const REASON_INDEX = new Map<Reason, number>(REASONS.map((reason, index) => [reason, index]));
/** totals[] slot of an answer: two per reason, off then on. */
const slotOf = (resolution: FlagResolution) => (REASON_INDEX.get(resolution.reason) ?? 0) * 2 + (resolution.enabled ? 1 : 0);

const DAY_MS = 86_400_000;
/** Rows per INSERT, so one statement stays far below PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 1_000;

/**
 * Counts evaluations per flag and UTC day in memory (record() sits on the evaluation hot path: one
 * clock read and a map lookup, no allocation once a flag has been seen that day) and adds them to
 * `flag_evaluations_daily` on flush. The upsert adds rather than overwrites, so API processes
 * flushing into one database concurrently sum up.
 */
export function createEvaluationCounter(db: Database, now: () => Date, options: EvaluationCounterOptions = {}): EvaluationCounterHandle {
  /** day (YYYY-MM-DD) → flag key → counts not yet in the database. */
  let pending = new Map<string, Map<string, Count>>();
  let dayStart = 0;
  let dayEnd = 0;
  let today = new Map<string, Count>();
  /** flag key → running totals, indexed by REASON_SLOT (+1 when enabled); never flushed, so Prometheus sees counters. */
  const totals = new Map<string, number[]>();
  let flushing: Promise<void> = Promise.resolve();
  let closed = false;

  /**
   * Lists served again whole (recordAll), each counted as one number and spread per flag only when
   * the counts are read (flush, totals): a cached list of thousands of flags costs a request O(1).
   * All of one day, `repeatsDay`; a new day spreads the old day's first.
   */
  let repeats = new Map<readonly FlagResolution[], number>();
  let repeatsDay = '';
  let currentDay = '';

  function enterDay(ms: number) {
    dayStart = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
    dayEnd = dayStart + DAY_MS;
    currentDay = new Date(dayStart).toISOString().slice(0, 10);
    let counts = pending.get(currentDay);
    if (!counts) pending.set(currentDay, (counts = new Map()));
    today = counts;
  }

  function record(resolution: FlagResolution) {
    const ms = now().getTime();
    if (ms >= dayEnd || ms < dayStart) enterDay(ms);
    tally(today, resolution, 1);
  }

  function recordAll(resolutions: readonly FlagResolution[]) {
    const ms = now().getTime();
    if (ms >= dayEnd || ms < dayStart) enterDay(ms);
    if (repeatsDay !== currentDay) {
      spreadRepeats();
      repeatsDay = currentDay;
    }
    repeats.set(resolutions, (repeats.get(resolutions) ?? 0) + 1);
  }

  /** Adds the lists recordAll kept to their day's counts (in `pending`, live until a flush takes it). */
  function spreadRepeats() {
    if (repeats.size === 0) return;
    const served = repeats;
    repeats = new Map();
    let counts = pending.get(repeatsDay);
    if (!counts) pending.set(repeatsDay, (counts = new Map()));
    for (const [resolutions, times] of served) for (const resolution of resolutions) tally(counts, resolution, times);
  }

  /** Counts `times` evaluations of one answer into a day's map. */
  function tally(counts: Map<string, Count>, resolution: FlagResolution, times: number) {
    // Unknown keys come from callers' input: counting them would let anyone grow the table.
    if (resolution.reason === 'FLAG_NOT_FOUND') return;
    let count = counts.get(resolution.key);
    if (!count) counts.set(resolution.key, (count = { evaluations: 0, enabled: 0, totals: totalsOf(resolution.key), last: undefined, lastSlot: 0 }));
    count.evaluations += times;
    if (resolution.enabled) count.enabled += times;
    if (resolution !== count.last) {
      count.last = resolution;
      count.lastSlot = slotOf(resolution);
    }
    count.totals[count.lastSlot]! += times;
  }

  function totalsOf(key: string): number[] {
    let slots = totals.get(key);
    if (!slots) totals.set(key, (slots = new Array<number>(REASONS.length * 2).fill(0)));
    return slots;
  }

  async function write(batch: Map<string, Map<string, Count>>) {
    const rows: Prisma.Sql[] = [];
    for (const [day, counts] of batch) {
      for (const [key, count] of counts) rows.push(Prisma.sql`(${key}, ${day}::date, ${count.evaluations}::int, ${count.enabled}::int)`);
    }
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await db.prisma.$executeRaw`
        INSERT INTO flag_evaluations_daily (flag_key, day, evaluations, enabled_count)
        VALUES ${Prisma.join(rows.slice(i, i + ROWS_PER_STATEMENT))}
        ON CONFLICT (flag_key, day) DO UPDATE SET
          evaluations = flag_evaluations_daily.evaluations + EXCLUDED.evaluations,
          enabled_count = flag_evaluations_daily.enabled_count + EXCLUDED.enabled_count`;
    }
  }

  /** Puts counts that could not be written back, so the next flush retries them. */
  function restore(batch: Map<string, Map<string, Count>>) {
    for (const [day, counts] of batch) {
      let into = pending.get(day);
      if (!into) pending.set(day, (into = new Map()));
      for (const [key, count] of counts) {
        const existing = into.get(key);
        if (existing) {
          existing.evaluations += count.evaluations;
          existing.enabled += count.enabled;
        } else into.set(key, count);
      }
    }
    // The current day's map may have been replaced above; record() must keep writing into the live one.
    dayEnd = 0;
  }

  function flushNow(): Promise<void> {
    // Flushes run one after another, each taking what was recorded up to its start.
    const run = flushing.then(async () => {
      spreadRepeats();
      if (pending.size === 0) return;
      const batch = pending;
      pending = new Map();
      dayEnd = 0;
      try {
        await write(batch);
      } catch (error) {
        restore(batch);
        throw error;
      }
    });
    flushing = run.catch(() => undefined);
    return run;
  }

  const logger = options.logger ?? createLogger();
  const onError = options.onError ?? ((error: unknown) => logger.error({ err: error }, 'evaluation counts: flush failed, kept for the next one'));
  const interval = options.flushIntervalMs ?? 30_000;
  const timer =
    interval > 0
      ? setInterval(() => {
          flushNow().catch(onError);
        }, interval)
      : undefined;
  timer?.unref();

  return {
    record,
    recordAll,
    totals() {
      spreadRepeats();
      const out: EvaluationTotal[] = [];
      for (const [flag, slots] of totals) {
        slots.forEach((count, slot) => {
          if (count > 0) out.push({ flag, reason: REASONS[slot >> 1]!, enabled: (slot & 1) === 1, count });
        });
      }
      return out;
    },
    flush: flushNow,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await flushNow();
    },
  };
}
