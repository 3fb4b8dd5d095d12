import { rollUpRouteMetrics } from '../domain/pipelineMetrics.js';
import { evaluateReleasePlans } from '../domain/releasePlanRunner.js';
import { runDueScheduledChanges } from '../domain/scheduledChanges.js';
import type { Services } from '../services.js';
import { deliverDueWebhooks } from '../webhooks.js';

/** One kind of background work the scheduler runs; `everyMs` slower than the tick runs it only that often. */
export interface SchedulerJob {
  name: string;
  run(services: Services): Promise<unknown>;
  everyMs?: number;
}

export interface SchedulerOptions {
  /** How often tick() runs after start(). Default 5,000 ms. */
  intervalMs?: number;
  /** The jobs, in order; default DEFAULT_JOBS. */
  jobs?: SchedulerJob[];
}

export interface Scheduler {
  /** Runs each due job once, in order; a job's failure is logged (once per run of failures) and never stops the others. */
  tick(): Promise<void>;
  start(): void;
  /** Stops the timer and waits for a running tick. */
  close(): Promise<void>;
}

/** Changes first (a scheduled kill lands before a plan looks at the flag), then plans, then the webhooks they queued. */
/** STAGEGATE_SCHEDULER_INTERVAL_MS (default 5,000): how often a process looks for due work; a bad value stops the server at start. */
export function schedulerIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.STAGEGATE_SCHEDULER_INTERVAL_MS;
  if (raw === undefined || raw === '') return 5_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 3_600_000) throw new Error(`STAGEGATE_SCHEDULER_INTERVAL_MS must be a whole number of milliseconds from 100 to 3600000, not "${raw}"`);
  return value;
}

export const DEFAULT_JOBS: SchedulerJob[] = [
  { name: 'scheduled-changes', run: (services) => runDueScheduledChanges(services) },
  { name: 'release-plans', run: (services) => evaluateReleasePlans(services) },
  { name: 'webhooks', run: (services) => deliverDueWebhooks(services) },
  { name: 'metrics-rollup', run: (services) => rollUpRouteMetrics(services), everyMs: 10 * 60_000 },
];

/**
 * The API process's clock-driven work: scheduled changes, release plans, webhook delivery and the
 * metrics rollup. Every process runs one; all state is in PostgreSQL and every job claims its rows
 * with FOR UPDATE SKIP LOCKED, so several processes share the work and each change happens once.
 */
export function createScheduler(services: Services, options: SchedulerOptions = {}): Scheduler {
  const intervalMs = options.intervalMs ?? 5_000;
  const jobs = options.jobs ?? DEFAULT_JOBS;
  const lastRun = new Map<string, number>();
  const failing = new Set<string>();
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  async function runJob(job: SchedulerJob) {
    const at = services.now().getTime();
    const last = lastRun.get(job.name);
    if (job.everyMs !== undefined && last !== undefined && at - last < job.everyMs) return;
    lastRun.set(job.name, at);
    try {
      await job.run(services);
      if (failing.delete(job.name)) services.logger.info({ event: 'scheduler.recovered', job: job.name }, `scheduler: ${job.name} works again`);
    } catch (error) {
      // An outage is the health monitor's to report; a job failing tick after tick is logged once.
      if (services.health.observe(error) || failing.has(job.name)) return;
      failing.add(job.name);
      services.logger.error({ event: 'scheduler.failed', job: job.name, err: error }, `scheduler: ${job.name} failed (logged once until it works again)`);
    }
  }

  async function runTick() {
    for (const job of jobs) {
      if (services.health.unreachable()) return;
      await runJob(job);
    }
  }

  const tick = (): Promise<void> => {
    // One tick at a time per process: a slow tick is awaited, not overlapped.
    running ??= runTick().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    tick,
    start() {
      if (timer || closed) return;
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
