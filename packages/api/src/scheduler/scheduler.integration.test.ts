import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { Services } from '../services.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { createScheduler, DEFAULT_JOBS, schedulerIntervalMs } from './index.js';

let h: Harness;
let clock = new Date('2026-12-02T12:00:00.000Z');
beforeAll(async () => {
  h = await startHarness({ now: () => clock });
});
afterAll(() => h.close());

/** The services with a logger whose JSON lines the test reads. */
function logged(services: Services) {
  const lines: Array<{ event?: string; job?: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { event?: string; job?: string });
      done();
    },
  });
  return { services: { ...services, logger: createLogger({ level: 'info', destination }) }, lines };
}

describe('the scheduler', () => {
  it('runs the default jobs in order: changes, plans, webhooks, then the rollup', () => {
    expect(DEFAULT_JOBS.map((job) => [job.name, job.everyMs])).toEqual([
      ['scheduled-changes', undefined],
      ['release-plans', undefined],
      ['webhooks', undefined],
      ['metrics-rollup', 600_000],
    ]);
  });

  it('reads STAGEGATE_SCHEDULER_INTERVAL_MS (default 5 s) and refuses a bad one', () => {
    expect(schedulerIntervalMs({})).toBe(5_000);
    expect(schedulerIntervalMs({ STAGEGATE_SCHEDULER_INTERVAL_MS: '250' })).toBe(250);
    for (const bad of ['0', '1.5', 'soon', '99999999']) expect(() => schedulerIntervalMs({ STAGEGATE_SCHEDULER_INTERVAL_MS: bad })).toThrow(/STAGEGATE_SCHEDULER_INTERVAL_MS/);
  });

  it("logs a failing job once per run of failures, and a job's failure never stops the next", async () => {
    const { services, lines } = logged(h.services);
    let broken = true;
    const ran: string[] = [];
    const scheduler = createScheduler(services, {
      jobs: [
        { name: 'flaky', run: async () => (ran.push('flaky'), broken ? Promise.reject(new Error('boom')) : undefined) },
        { name: 'steady', run: async () => ran.push('steady') },
      ],
    });
    for (let i = 0; i < 3; i++) await scheduler.tick();
    broken = false;
    await scheduler.tick();
    expect(ran).toEqual(['flaky', 'steady', 'flaky', 'steady', 'flaky', 'steady', 'flaky', 'steady']);
    expect(lines.filter((line) => line.job === 'flaky').map((line) => line.event)).toEqual(['scheduler.failed', 'scheduler.recovered']);
  });

  it('runs a slower job only at its own cadence, by the server clock', async () => {
    let runs = 0;
    const scheduler = createScheduler(h.services, { jobs: [{ name: 'rollup', everyMs: 600_000, run: async () => runs++ }] });
    await scheduler.tick();
    clock = new Date(clock.getTime() + 300_000);
    await scheduler.tick();
    expect(runs).toBe(1);
    clock = new Date(clock.getTime() + 300_000);
    await scheduler.tick();
    expect(runs).toBe(2);
  });

  it('skips quietly while the database is known to be down', async () => {
    const { services, lines } = logged({ ...h.services, health: { ...h.services.health, unreachable: () => true } });
    let runs = 0;
    await createScheduler(services, { jobs: [{ name: 'job', run: async () => runs++ }] }).tick();
    expect(runs).toBe(0);
    expect(lines).toEqual([]);
  });

  it('never overlaps ticks, and close() waits for the running one', async () => {
    let release!: () => void;
    let starts = 0;
    let finished = false;
    const scheduler = createScheduler(h.services, {
      jobs: [{ name: 'slow', run: () => (starts++, new Promise<void>((resolve) => (release = resolve)).then(() => void (finished = true))) }],
    });
    const first = scheduler.tick();
    const second = scheduler.tick();
    expect(second).toBe(first);
    const closing = scheduler.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(finished).toBe(false);
    release();
    await closing;
    expect([starts, finished]).toEqual([1, true]);
  });
});
