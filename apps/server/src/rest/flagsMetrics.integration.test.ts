import { readRouteTotals } from '@stagegate/api';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { createFlagClient, LATENCY_BUCKETS_MS, type MetricsReportInput } from '@stagegate/flags-core';
import { createHttpSource } from '@stagegate/flags-core/http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REST_SAMPLES } from '../testing/samples.js';
import { bearer, startHarnessWithServer, type HarnessWithServer } from '../testing/server.js';
import { METRICS_BODY_LIMIT_BYTES } from './flagsMetrics.js';

const FLAG = 'phoenix-pipeline-enabled';
let h: HarnessWithServer;

beforeAll(async () => {
  h = await startHarnessWithServer();
  await h.editor.admin.flags.setRollout({ key: FLAG, rolloutPercentage: 50 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.db.exec('DELETE FROM route_metrics_minute; DELETE FROM route_metrics_hourly');
});

const post = async (body: string, token: string = DEMO_TOKENS.service) => {
  const response = await fetch(`${h.server.url}/api/flags/metrics`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const sample = () => structuredClone(REST_SAMPLES['POST /api/flags/metrics']!.body) as MetricsReportInput;
const evaluationsOf = async (key: string) => (await h.db.prisma.flagEvaluationDaily.findMany({ where: { flagKey: key } })).reduce((sum, row) => sum + row.evaluations, 0);

describe('POST /api/flags/metrics', () => {
  it('stores exactly what a real FlagClient counted: route() calls per path, the new path’s failures and the fallbacks', async () => {
    const client = createFlagClient({ source: createHttpSource({ baseUrl: h.server.url, token: DEMO_TOKENS.service }), telemetry: { intervalMs: 600_000 } });
    const evaluationsBefore = await evaluationsOf(FLAG);
    const since = new Date(Date.now() - 60_000);
    const ran = { enabled: 0, failed: 0, disabled: 0 };
    try {
      for (let i = 0; i < 200; i++) {
        const answer = await client.route(FLAG, { userId: `user-${i}`, workspaceId: h.seed.workspaceId }, {
          enabled: () => {
            ran.enabled++;
            // Every third call on the new path fails: the legacy path answers it.
            if (ran.enabled % 3 === 0) {
              ran.failed++;
              throw new Error('phoenix failed');
            }
            return 'phoenix';
          },
          disabled: () => {
            ran.disabled++;
            return 'legacy';
          },
        });
        expect(['phoenix', 'legacy']).toContain(answer);
      }
      expect(await client.flushMetrics()).toBe(true);
    } finally {
      await client.close();
    }
    // 50 %: both paths ran, and some new-path calls failed.
    expect(ran.enabled).toBeGreaterThan(50);
    expect(ran.enabled + ran.disabled - ran.failed).toBe(200);

    const totals = await readRouteTotals(h.db, FLAG, since);
    expect({ enabled: totals.enabled.calls, errors: totals.enabled.errors, disabled: totals.disabled.calls, legacyErrors: totals.disabled.errors, fallbacks: totals.fallbacks }).toEqual({
      enabled: ran.enabled,
      errors: ran.failed,
      disabled: ran.disabled,
      legacyErrors: 0,
      fallbacks: ran.failed,
    });
    expect(totals.enabled.latencyMs.reduce((a, b) => a + b, 0)).toBe(ran.enabled);
    expect(totals.enabled.latencyMs).toHaveLength(LATENCY_BUCKETS_MS.length + 1);

    const health = await h.server.client(bearer(DEMO_TOKENS.viewer)).admin.flags.health.query({ key: FLAG, hours: 1 });
    expect(health.totals).toMatchObject({
      enabled: { calls: ran.enabled, errors: ran.failed, errorRate: ran.failed / ran.enabled, share: ran.enabled / 200 },
      disabled: { calls: ran.disabled, errors: 0, share: (ran.disabled - ran.failed) / 200 },
      fallbacks: ran.failed,
    });
    expect(health.series.reduce((sum, point) => sum + point.enabled.calls, 0)).toBe(ran.enabled);
    // route() evaluates the flag each time: the SDK's evaluations reach the dashboard's daily counts.
    expect((await evaluationsOf(FLAG)) - evaluationsBefore).toBe(200);
  });

  it('answers 202 with what it kept, leaving out flags the server does not know', async () => {
    const report = sample();
    report.sentAt = new Date().toISOString();
    report.windows[0]!.end = report.sentAt;
    report.windows[0]!.flags.push({ key: 'not-a-flag-here', evaluations: [{ reason: 'GLOBAL', enabled: true, count: 9 }] });
    expect(await post(JSON.stringify(report))).toEqual({ status: 202, body: { accepted: 1, ignoredWindows: 0, flags: 1, ignoredFlags: 1 } });
    expect(await h.db.prisma.routeMetricsMinute.count({ where: { flagKey: 'not-a-flag-here' } })).toBe(0);
    expect((await readRouteTotals(h.db, FLAG, new Date(Date.now() - 120_000))).enabled.calls).toBe(3);
  });

  it('refuses a report the wire schema refuses with 400 VALIDATION_FAILED naming the field, storing nothing', async () => {
    const cases: Array<[string, (report: MetricsReportInput) => unknown]> = [
      ['sentAt', (r) => ({ ...r, sentAt: 'yesterday' })],
      ['dropped', (r) => ({ ...r, dropped: undefined })],
      ['windows', (r) => ({ ...r, windows: Array.from({ length: 91 }, () => r.windows[0]) })],
      ['latencyMs', (r) => ((r.windows[0]!.flags[0]!.route!.enabled.latencyMs = [1, 2, 3]), r)],
      ['calls', (r) => ((r.windows[0]!.flags[0]!.route!.disabled.calls = -1), r)],
      ['calls', (r) => ((r.windows[0]!.flags[0]!.route!.disabled.calls = 1.5), r)],
      ['key', (r) => ((r.windows[0]!.flags[0]!.key = 'Not A Key'), r)],
      ['reason', (r) => ((r.windows[0]!.flags[0]!.evaluations[0]!.reason = 'BECAUSE' as never), r)],
      ['', () => [1, 2, 3]],
    ];
    for (const [field, spoil] of cases) {
      const answer = await post(JSON.stringify(spoil(sample())));
      expect(answer, field).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(String(answer.body.error), field).toContain(field);
    }
    expect(await post('{"sentAt": ')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', error: 'The request body is not valid JSON' } });
    expect(await h.db.prisma.routeMetricsMinute.count()).toBe(0);
  });

  it(`takes reports far over the 100 kB every other body is held to, up to ${METRICS_BODY_LIMIT_BYTES} bytes`, async () => {
    const report = sample();
    const flag = report.windows[0]!.flags[0]!;
    report.sentAt = new Date().toISOString();
    // 90 windows of 20 s, each with the flag and 199 unknown ones: about 2 MB.
    report.windows = Array.from({ length: 90 }, (_, i) => ({
      start: new Date(Date.now() - (i + 1) * 20_000).toISOString(),
      end: new Date(Date.now() - i * 20_000).toISOString(),
      flags: [flag, ...Array.from({ length: 199 }, (_, k) => ({ ...flag, key: `unknown-flag-${k}` }))],
    }));
    const body = JSON.stringify(report);
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(await post(body)).toEqual({ status: 202, body: { accepted: 90, ignoredWindows: 0, flags: 1, ignoredFlags: 199 } });
    expect((await readRouteTotals(h.db, FLAG, new Date(Date.now() - 3_600_000))).enabled.calls).toBe(90 * 3);

    const tooLarge = await post(`{"sentAt":"${'x'.repeat(METRICS_BODY_LIMIT_BYTES)}"}`);
    expect(tooLarge).toEqual({ status: 413, body: { success: false, code: 'PAYLOAD_TOO_LARGE', error: `The request body is larger than ${METRICS_BODY_LIMIT_BYTES} bytes` } });
    // Other routes keep theirs.
    const toggle = await fetch(`${h.server.url}/api/beta-features/auto-tagging-v2/toggle`, { method: 'POST', headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true, pad: 'x'.repeat(200_000) }) });
    expect(toggle.status).toBe(413);
  });
});
