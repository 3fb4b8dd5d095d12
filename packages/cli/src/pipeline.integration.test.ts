// `stagegate flags health | plan | schedule` as a person runs them: the built bin against a real
// server and database; route() telemetry stored through the same ingest the SDK's reports take.
import { ingestMetricsReport } from '@stagegate/api';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { LATENCY_BUCKETS_MS, MetricsReport } from '@stagegate/flags-core';
import { startHarnessWithServer, type HarnessWithServer } from '@stagegate/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStagegate } from './testing.js';

let h: HarnessWithServer;
const stagegate = (args: string[], env: Record<string, string> = {}) => runStagegate(args, { STAGEGATE_URL: h.server.url, STAGEGATE_TOKEN: DEMO_TOKENS.editor, ...env });
const json = <T>(run: { stdout: string }) => JSON.parse(run.stdout) as T;

/** A path's counts with every call in the 3rd latency bucket. */
const counts = (calls: number, errors: number) => {
  const latencyMs = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  latencyMs[2] = calls;
  return { calls, errors, latencyMs, latencySumMs: calls * 4 };
};

beforeAll(async () => {
  h = await startHarnessWithServer();
  const sentAt = new Date();
  await ingestMetricsReport(
    h.services,
    MetricsReport.parse({
      sentAt,
      windows: [
        { start: new Date(sentAt.getTime() - 20_000), end: sentAt, flags: [{ key: 'phoenix-pipeline-enabled', evaluations: [], route: { enabled: counts(400, 8), disabled: counts(1600, 16), fallbacks: 8 } }] },
      ],
      dropped: { windows: 0, evaluations: 0, routeCalls: 0 },
    }),
  );
});
afterAll(async () => {
  await h.close();
});

describe('stagegate flags health', () => {
  it('totals per path and the buckets that had calls, as JSON on a pipe', async () => {
    const run = await stagegate(['flags', 'health', 'phoenix-pipeline-enabled', '--hours', '1']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const health = json<{ bucket: string; totals: { enabled: { calls: number; errors: number; errorRate: number; p50Ms: number }; disabled: { calls: number }; fallbacks: number }; series: unknown[] }>(run);
    expect(health.bucket).toBe('minute');
    expect(health.series).toHaveLength(60);
    expect(health.totals).toMatchObject({ enabled: { calls: 400, errors: 8, errorRate: 0.02 }, disabled: { calls: 1600 }, fallbacks: 8 });
    expect(health.totals.enabled.p50Ms).toBeGreaterThan(0);
  });

  it('a flag with nothing reported says so on stderr; a bad --hours is a usage error', async () => {
    const quiet = await stagegate(['flags', 'health', 'auto-tagging-v2']);
    expect(quiet.code).toBe(0);
    expect(json<{ totals: { enabled: { calls: number } } }>(quiet).totals.enabled.calls).toBe(0);
    expect(quiet.stderr).toContain('no route() calls reported for auto-tagging-v2');
    expect(await stagegate(['flags', 'health', 'auto-tagging-v2', '--hours', '0'])).toEqual({ code: 2, stdout: '', stderr: 'error: usage: --hours: a whole number from 1 to 2160\n' });
    expect(await stagegate(['flags', 'health', 'no-such-flag'])).toEqual({ code: 1, stdout: '', stderr: 'error: FLAG_NOT_FOUND: No flag "no-such-flag"\n' });
  });
});

describe('stagegate flags plan', () => {
  it('attaches a plan from the current rollout, shows where it stands, pauses and resumes it with reasons', async () => {
    const attach = await stagegate(['flags', 'plan', 'attach', 'phoenix-pipeline-enabled', '--min-step', '30m', '--min-calls', '1000', '--max-error-rate', '4%', '--margin', '0.5', '--on-trip', 'previous-step', '--reason', 'ADR-074']);
    expect(attach.stderr).toBe('');
    expect(json(attach)).toMatchObject({ flagKey: 'phoenix-pipeline-enabled', steps: [0.1, 5, 25, 50, 100], currentStep: 1, currentPercentage: 5, status: 'running', minStepSeconds: 1800, minCalls: 1000, maxErrorRate: 0.04, errorMargin: 0.005, onTrip: 'previous_step' });

    const show = json<{ status: string; lastCheck: { state: string; message: string }; history: Array<{ action: string }> }>(await stagegate(['flags', 'plan', 'show', 'phoenix-pipeline-enabled'], { STAGEGATE_TOKEN: DEMO_TOKENS.viewer }));
    expect(show).toMatchObject({ status: 'running', lastCheck: { state: 'started' } });
    expect(show.history.map((e) => e.action)).toContain('plan.attach');

    expect(json(await stagegate(['flags', 'plan', 'pause', 'phoenix-pipeline-enabled', '--reason', 'deploy freeze']))).toMatchObject({ status: 'paused', lastCheck: { state: 'paused', message: expect.stringContaining('deploy freeze') } });
    expect((await stagegate(['flags', 'plan', 'pause', 'phoenix-pipeline-enabled', '--reason', 'again'])).stderr).toMatch(/^error: CONFLICT: The plan of "phoenix-pipeline-enabled" is paused/);
    expect(json(await stagegate(['flags', 'plan', 'resume', 'phoenix-pipeline-enabled', '--reason', 'freeze over']))).toMatchObject({ status: 'running' });
    expect(json(await stagegate(['flags', 'plan', 'skip', 'phoenix-pipeline-enabled', '--reason', 'looks fine']))).toMatchObject({ currentStep: 2, currentPercentage: 25 });
    expect((await h.viewer.admin.flags.get({ key: 'phoenix-pipeline-enabled' })).rolloutPercentage).toBe(25);
    expect(json(await stagegate(['flags', 'plan', 'abort', 'phoenix-pipeline-enabled', '--reason', 'done by hand']))).toMatchObject({ status: 'aborted' });
  });

  it('names the option at fault before anything is sent, and needs a reason for controls', async () => {
    const steps = await stagegate(['flags', 'plan', 'attach', 'phoenix-pipeline-enabled', '--steps', '5,1,100']);
    expect(steps).toMatchObject({ code: 2, stdout: '' });
    expect(steps.stderr).toBe('error: usage: --steps: Steps must go up, each above the one before\n');
    expect((await stagegate(['flags', 'plan', 'attach', 'phoenix-pipeline-enabled', '--min-step', 'soon'])).stderr).toBe('error: usage: --min-step: "soon" is not a duration like 90s, 30m, 1h or 2d\n');
    expect((await stagegate(['flags', 'plan', 'attach', 'phoenix-pipeline-enabled', '--max-error-rate', '120%'])).stderr).toBe('error: usage: --max-error-rate: "120%" is not a percentage from 0 to 100 (5% or 5)\n');
    const noReason = await stagegate(['flags', 'plan', 'pause', 'phoenix-pipeline-enabled']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
    expect(await stagegate(['flags', 'plan', 'show', 'auto-tagging-v2'])).toEqual({ code: 1, stdout: '', stderr: 'error: PLAN_NOT_FOUND: Flag "auto-tagging-v2" has no release plan\n' });
    const viewer = await stagegate(['flags', 'plan', 'attach', 'auto-tagging-v2'], { STAGEGATE_TOKEN: DEMO_TOKENS.viewer });
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toMatch(/^error: FORBIDDEN: /);
  });
});

describe('stagegate flags schedule', () => {
  it('schedules a rollout in two hours, lists it, cancels it', async () => {
    const before = Date.now();
    const created = await stagegate(['flags', 'schedule', 'auto-tagging-v2', '--at', '+2h', '--rollout', '25%', '--reason', 'Monday release']);
    expect(created.stderr).toBe('');
    const change = json<{ id: number; action: string; rolloutPercentage: number; runAt: string; status: string; createdBy: string }>(created);
    expect(change).toMatchObject({ action: 'set_rollout', rolloutPercentage: 25, status: 'pending', createdBy: 'editor@stagegate.dev' });
    expect(Date.parse(change.runAt) - before).toBeGreaterThanOrEqual(2 * 3600_000 - 1000);
    expect(Date.parse(change.runAt) - before).toBeLessThan(2 * 3600_000 + 60_000);

    const kill = json<{ id: number }>(await stagegate(['flags', 'schedule', 'create', 'auto-tagging-v2', '--at', '2099-01-01T09:00:00+01:00', '--kill', '--reason', 'sunset']));
    const list = json<Array<{ id: number; status: string; runAt: string }>>(await stagegate(['flags', 'schedule', 'list', 'auto-tagging-v2']));
    expect(list.map((c) => c.id)).toEqual([change.id, kill.id]);
    expect(list[1]!.runAt).toBe('2099-01-01T08:00:00.000Z');

    expect(json(await stagegate(['flags', 'schedule', 'cancel', String(change.id), '--reason', 'slipped']))).toMatchObject({ id: change.id, status: 'cancelled' });
    expect(json<Array<{ id: number }>>(await stagegate(['flags', 'schedule', 'list', '--status', 'pending'])).map((c) => c.id)).toEqual([kill.id]);
    expect((await stagegate(['flags', 'schedule', 'cancel', String(change.id)])).stderr).toMatch(/^error: CONFLICT: /);
  });

  it('refuses an ambiguous or missing change, a time without a zone, and a time in the past', async () => {
    const both = await stagegate(['flags', 'schedule', 'auto-tagging-v2', '--at', '+1h', '--kill', '--rollout', '5', '--reason', 'x']);
    expect(both).toEqual({ code: 2, stdout: '', stderr: 'error: usage: exactly one of --stage, --rollout, --kill or --restore\n' });
    expect((await stagegate(['flags', 'schedule', 'auto-tagging-v2', '--at', '2099-01-01T09:00', '--kill', '--reason', 'x'])).stderr).toBe('error: usage: --at: "2099-01-01T09:00" has no time zone; add Z or an offset such as +01:00\n');
    expect((await stagegate(['flags', 'schedule', 'auto-tagging-v2', '--at', '+1h', '--rollout', '101', '--reason', 'x'])).stderr).toMatch(/^error: usage: --rollout: /);
    const past = await stagegate(['flags', 'schedule', 'auto-tagging-v2', '--at', '2020-01-01T00:00:00Z', '--restore', '--reason', 'x']);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/^error: VALIDATION_FAILED: runAt must be in the future/);
    expect((await stagegate(['flags', 'schedule', 'cancel', 'seven'])).stderr).toBe('error: usage: ID: "seven" is not a scheduled change\'s number\n');
  });

  it('help names every form of --at and every plan control', async () => {
    const help = await stagegate(['flags', 'schedule', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--at <when> +ISO time with a zone \(2026-12-24T09:00:00Z\) or \+30m \/ \+2h \/\s+\+1d/);
    const planHelp = await stagegate(['flags', 'plan', '--help']);
    expect(planHelp.stdout).toMatch(/attach[\s\S]*pause[\s\S]*resume[\s\S]*skip[\s\S]*abort/);
  });
});
