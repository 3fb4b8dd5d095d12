/**
 * A valid input for every query and mutation, and a valid request for every REST route: what the
 * authorization matrix and the fuzz start from. A procedure or route without a sample fails the
 * tests that walk them, so nothing new escapes either.
 */
import type { Harness } from '@stagegate/api/testing';

export type Sample = (h: Harness & { tokenId: string }) => unknown;

export const PROCEDURE_SAMPLES: Record<string, Sample> = {
  'session.whoami': () => undefined,
  'betaFeatures.list': () => undefined,
  'betaFeatures.toggle': () => ({ key: 'auto-tagging-v2', enabled: true }),
  'betaFeatures.trackViewed': () => undefined,
  'betaFeatures.trackDiscovered': () => ({ key: 'auto-tagging-v2', location: 'nav' }),
  'flags.evaluate': () => ({ keys: ['auto-tagging-v2'] }),
  'workspace.policy': () => undefined,
  'workspace.setOptInBlocked': () => ({ blocked: false }),
  'workspace.setFlagPolicy': () => ({ flagKey: 'auto-tagging-v2', policy: null }),
  'admin.flags.list': () => undefined,
  'admin.flags.get': () => ({ key: 'auto-tagging-v2' }),
  'admin.flags.create': () => ({ key: `matrix-${Math.random().toString(36).slice(2, 10)}`, name: 'Matrix', stage: 'lab', ttlDays: 10 }),
  'admin.flags.update': () => ({ key: 'process-agent', description: `edited ${Date.now()}` }),
  'admin.flags.setStage': () => ({ key: 'process-agent', stage: 'lab' }),
  'admin.flags.setRollout': () => ({ key: 'process-agent', rolloutPercentage: 5 }),
  'admin.flags.setAdminOverride': () => ({ key: 'process-agent', adminOverride: null }),
  'admin.flags.kill': () => ({ key: 'privacy-agent', reason: 'matrix' }),
  'admin.flags.restore': () => ({ key: 'legacy-export', reason: 'matrix' }),
  'admin.flags.archive': () => ({ key: 'global-chat-enabled' }),
  'admin.flags.annotate': () => ({ flags: [{ key: 'privacy-agent', category: 'agents' }], dryRun: true }),
  'admin.flags.bulk': () => ({ action: 'setStage', keys: ['privacy-agent'], stage: 'alpha', reason: 'matrix' }),
  'admin.flags.explain': () => ({ key: 'auto-tagging-v2', email: 'member@stagegate.dev' }),
  'admin.flags.reach': () => ({ key: 'phoenix-pipeline-enabled', rolloutPercentage: 25 }),
  'admin.flags.health': () => ({ key: 'phoenix-pipeline-enabled', hours: 6 }),
  'admin.userOverrides.list': () => undefined,
  'admin.userOverrides.set': (h) => ({ userId: h.seed.memberId, flagKey: 'internal-search', enabled: true, reason: 'matrix' }),
  'admin.userOverrides.remove': (h) => ({ userId: h.seed.memberId, flagKey: 'smart-summaries' }),
  'admin.status': () => undefined,
  'admin.audit.list': () => undefined,
  'admin.analytics': () => undefined,
  'admin.operators.list': () => undefined,
  'admin.operators.setRole': () => ({ email: 'member@acme.dev', role: null }),
  'admin.tokens.list': () => undefined,
  'admin.tokens.create': () => ({ name: 'matrix service', kind: 'service' }),
  'admin.tokens.revoke': (h) => ({ id: h.tokenId }),
  'admin.schedule.list': () => undefined,
  'admin.schedule.create': () => ({ key: 'privacy-agent', action: 'set_rollout', rolloutPercentage: 5, runAt: '2099-01-01T00:00:00.000Z', reason: 'matrix' }),
  'admin.schedule.cancel': () => ({ id: 1, reason: 'matrix' }),
  'admin.plans.list': () => undefined,
  'admin.plans.get': () => ({ key: 'phoenix-pipeline-enabled' }),
  'admin.plans.attach': () => ({ key: 'phoenix-pipeline-enabled', minStepSeconds: 600 }),
  'admin.plans.control': () => ({ key: 'phoenix-pipeline-enabled', action: 'pause', reason: 'matrix' }),
};

export interface RestSample {
  method: string;
  path: (h: Harness) => string;
  body?: unknown;
}

/** Keyed `METHOD path` as the route table spells it. */
export const REST_SAMPLES: Record<string, RestSample> = {
  'POST /auth/session': { method: 'POST', path: () => '/auth/session', body: { demoUser: 'member' } },
  'DELETE /auth/session': { method: 'DELETE', path: () => '/auth/session' },
  'GET /auth/demo-users': { method: 'GET', path: () => '/auth/demo-users' },
  'GET /api/beta-features/status': { method: 'GET', path: () => '/api/beta-features/status' },
  'GET /api/beta-features': { method: 'GET', path: () => '/api/beta-features' },
  'POST /api/beta-features/:key/toggle': { method: 'POST', path: () => '/api/beta-features/auto-tagging-v2/toggle', body: { enabled: true } },
  'GET /api/flags/snapshot': { method: 'GET', path: () => '/api/flags/snapshot' },
  'GET /api/flags/state': { method: 'GET', path: (h) => `/api/flags/state?userId=${h.seed.memberId}&workspaceId=${h.seed.workspaceId}` },
  'GET /api/flags/stream': { method: 'GET', path: () => '/api/flags/stream' },
  'POST /api/flags/metrics': {
    method: 'POST',
    path: () => '/api/flags/metrics',
    body: {
      sentAt: '2026-12-02T12:00:20.000Z',
      windows: [
        {
          start: '2026-12-02T12:00:00.000Z',
          end: '2026-12-02T12:00:20.000Z',
          flags: [
            {
              key: 'phoenix-pipeline-enabled',
              evaluations: [{ reason: 'ROLLOUT', enabled: true, count: 3 }],
              route: {
                enabled: { calls: 3, errors: 1, latencyMs: [0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], latencySumMs: 21 },
                disabled: { calls: 1, errors: 0, latencyMs: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], latencySumMs: 2 },
                fallbacks: 1,
              },
            },
          ],
        },
      ],
      dropped: { windows: 0, evaluations: 0, routeCalls: 0 },
    },
  },
};
