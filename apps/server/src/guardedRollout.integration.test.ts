/**
 * The proof with a fast clock: a service routes between a new and a legacy pipeline with the
 * real FlagClient over the real HTTP source; its telemetry reaches the server through
 * POST /api/flags/metrics; the server's clock jumps a minute per window and the scheduler ticks.
 * A new path failing 10 % of calls rolls the plan back within one window; failing 1 %, it reaches 100 %.
 */
import { createScheduler } from '@stagegate/api';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { createFlagClient, type FlagClient } from '@stagegate/flags-core';
import { createHttpSource } from '@stagegate/flags-core/http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarnessWithServer, type HarnessWithServer } from './testing/server.js';

const KEY = 'phoenix-guarded';
const USERS = Array.from({ length: 200 }, (_, i) => `user-${i}`);
/** Each user's requests per window: 2,000 route() calls a minute. */
const CALLS_PER_USER = 10;
const WINDOW_SECONDS = 60;

let h: HarnessWithServer | undefined;
let sdk: FlagClient | undefined;
afterEach(async () => {
  await sdk?.close();
  await h?.close();
  sdk = h = undefined;
});

/** A new pipeline failing every `1 / failRate`-th call (deterministic, so the test is), and the legacy one that never fails. */
function pipelines(failRate: number) {
  let calls = 0;
  const every = Math.round(1 / failRate);
  return {
    enabled: () => {
      if (++calls % every === 0) throw new Error('phoenix: generation failed');
      return 'phoenix';
    },
    disabled: () => 'legacy',
  };
}

async function scenario(failRate: number) {
  let clock = new Date('2026-12-02T12:00:00.000Z');
  h = await startHarnessWithServer({ now: () => clock });
  const workspaceId = h.seed.workspaceId;
  await h.editor.admin.flags.create({ key: KEY, name: 'Phoenix (guarded)', stage: 'ga', ttlDays: 90 });
  await h.editor.admin.plans.attach({ key: KEY, steps: [10, 50, 100], minStepSeconds: 120, minCalls: 100, maxErrorRate: 0.05, onTrip: 'kill' });

  // Telemetry only when the test says (flushMetrics), so each report is one window of the fast clock.
  sdk = createFlagClient({ source: createHttpSource({ baseUrl: h.server.url, token: DEMO_TOKENS.service }), telemetry: { intervalMs: 3_600_000 }, onError: () => undefined });
  const scheduler = createScheduler(h.services);
  const paths = pipelines(failRate);
  /** Until the service's FlagClient serves the flag's current version (the change stream brings it). */
  const synced = async () => {
    const { version } = await h!.db.prisma.flag.findUniqueOrThrow({ where: { key: KEY } });
    for (let waited = 0; ((await sdk!.flags()).find((f) => f.key === KEY)?.version ?? 0) < version; waited += 20) {
      if (waited > 10_000) throw new Error(`the FlagClient never saw ${KEY} v${version}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const windows: Array<{ status: string; step: number; enabledShare: number; state: string | undefined }> = [];

  for (let window = 1; window <= 10; window++) {
    await synced();
    const before = sdk.stats().routes[KEY] ?? { enabled: { calls: 0 }, disabled: { calls: 0 } };
    for (let round = 0; round < CALLS_PER_USER; round++) {
      for (const userId of USERS) await sdk.route(KEY, { userId, workspaceId }, paths);
    }
    const after = sdk.stats().routes[KEY]!;
    const enabled = after.enabled.calls - before.enabled.calls;
    const disabled = after.disabled.calls - before.disabled.calls;
    clock = new Date(clock.getTime() + WINDOW_SECONDS * 1_000);
    expect(await sdk.flushMetrics()).toBe(true);
    await scheduler.tick();
    const plan = await h.viewer.admin.plans.get({ key: KEY });
    windows.push({ status: plan.status, step: plan.currentStep, enabledShare: enabled / (enabled + disabled), state: plan.lastCheck?.state });
    if (plan.status !== 'running') break;
  }
  await synced();
  return { windows, plan: await h.viewer.admin.plans.get({ key: KEY }), flag: await h.editor.admin.flags.get({ key: KEY }) };
}

describe('a guarded rollout with a fast clock', () => {
  it('rolls back within one window when the new path fails 10 % of calls', async () => {
    const { windows, plan, flag } = await scenario(0.1);
    expect(windows).toHaveLength(1);
    // The first step really gave the flag to about a tenth of the users.
    expect(windows[0]!.enabledShare).toBeGreaterThan(0.04);
    expect(windows[0]!.enabledShare).toBeLessThan(0.2);
    expect(plan).toMatchObject({ status: 'rolled_back', currentStep: 0, lastCheck: { state: 'tripped' } });
    expect(flag.kill).toMatchObject({ by: 'guard' });
    const trip = plan.history.find((event) => event.actor === 'guard');
    expect(trip).toMatchObject({ action: 'flag.kill' });
    // The legacy path failed nothing, so the margin (1 %) is the bar, not the 5 % ceiling.
    expect(trip!.reason).toMatch(/^Guard tripped at step 1 of 3 \(10 %\): enabled path \d+(\.\d+)? % errors over [\d,]+ calls > 1 % \(disabled 0 % over [\d,]+ calls \+ 1 % margin\); killed$/);
    // Killed: the service's next calls all take the legacy path.
    expect(await sdk!.route(KEY, { userId: 'user-1', workspaceId: h!.seed.workspaceId }, pipelines(0.1))).toBe('legacy');
  }, 60_000);

  it('reaches 100 % when the new path fails 1 % of calls', async () => {
    const { windows, plan, flag } = await scenario(0.01);
    expect(plan).toMatchObject({ status: 'completed', currentStep: 2, currentPercentage: 100 });
    expect(flag).toMatchObject({ rolloutPercentage: 100, kill: null });
    // Two windows per step (minStepSeconds 120), and each step's share of calls follows its percentage.
    expect(windows.map((w) => [w.step, w.state])).toEqual([
      [0, 'waiting_for_time'],
      [1, 'advanced'],
      [1, 'waiting_for_time'],
      [2, 'completed'],
    ]);
    expect(windows[0]!.enabledShare).toBeLessThan(0.2);
    expect(windows[2]!.enabledShare).toBeGreaterThan(0.35);
    expect(windows[2]!.enabledShare).toBeLessThan(0.65);
    expect(plan.history.filter((event) => event.actor === 'guard').map((event) => event.rolloutPercentage)).toEqual([50, 100]);
  }, 60_000);
});
