import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, routerProcedures, snapshotWrites, startHarnessWithServer, type HarnessWithServer } from './testing/server.js';

let h: HarnessWithServer;
let outsiderAdminToken: string;

beforeAll(async () => {
  h = await startHarnessWithServer();
  // An admin, but of another workspace: being admin somewhere must not make you admin here.
  outsiderAdminToken = (await createUser(h.db, { email: 'admin@other-tenant.dev', role: 'admin', token: 'other-tenant-admin-token' })).token;
});
afterAll(async () => {
  await h.close();
});

const procedures = routerProcedures;
const typeOf = (path: string) => procedures[path]?._def.type;

/** A valid input for every admin procedure, in an order in which the demo admin can run them all. */
const ADMIN_CALLS: Array<[path: string, input: () => unknown]> = [
  ['admin.flags.list', () => undefined],
  ['admin.flags.get', () => ({ key: 'auto-tagging-v2' })],
  ['admin.flags.create', () => ({ key: 'matrix-flag', name: 'Matrix', stage: 'lab', ttlDays: 10 })],
  ['admin.flags.update', () => ({ key: 'matrix-flag', name: 'Matrix 2' })],
  ['admin.flags.setStage', () => ({ key: 'matrix-flag', stage: 'alpha' })],
  ['admin.flags.setRollout', () => ({ key: 'matrix-flag', rolloutPercentage: 50 })],
  ['admin.flags.setAdminOverride', () => ({ key: 'matrix-flag', adminOverride: 'on' })],
  ['admin.flags.kill', () => ({ key: 'matrix-flag', reason: 'matrix' })],
  ['admin.flags.restore', () => ({ key: 'matrix-flag', reason: 'matrix' })],
  ['admin.flags.archive', () => ({ key: 'matrix-flag' })],
  ['admin.userOverrides.list', () => undefined],
  ['admin.userOverrides.set', () => ({ userId: h.seed.memberId, flagKey: 'internal-search', enabled: true, reason: 'matrix' })],
  ['admin.userOverrides.remove', () => ({ userId: h.seed.memberId, flagKey: 'internal-search' })],
  ['admin.status', () => undefined],
  ['admin.audit.list', () => undefined],
  ['admin.analytics', () => undefined],
];

describe('authorization matrix', () => {
  it('covers every admin procedure the router has', () => {
    const adminPaths = Object.keys(procedures).filter((path) => path.startsWith('admin.'));
    expect(ADMIN_CALLS.map(([path]) => path).sort()).toEqual(adminPaths.sort());
  });

  const callers: Array<[who: string, headers: () => Record<string, string>, status: number, code: string]> = [
    ['no token', () => ({}), 401, 'UNAUTHORIZED'],
    ['an unknown token', () => bearer('made-up-token'), 401, 'UNAUTHORIZED'],
    ['a member', () => bearer(DEMO_TOKENS.member), 403, 'FORBIDDEN'],
    ['an admin of another workspace naming this one', () => bearer(outsiderAdminToken, h.seed.workspaceId), 403, 'FORBIDDEN'],
    ['a member naming a workspace they are not in', () => bearer(DEMO_TOKENS.member, 'no-such-workspace'), 403, 'FORBIDDEN'],
  ];

  it.each(callers)('refuses %s on every admin procedure, writing nothing', async (_, headers, status, code) => {
    const before = await snapshotWrites(h.db);
    for (const [path, input] of ADMIN_CALLS) {
      expect(await h.server.call(path, input(), headers()), `${path}`).toEqual({ status, code });
    }
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  it('refuses every user procedure without a token', async () => {
    const userPaths = Object.keys(procedures).filter((path) => !path.startsWith('admin.') && typeOf(path) !== 'subscription');
    expect(userPaths.length).toBeGreaterThanOrEqual(5);
    for (const path of userPaths) expect(await h.server.call(path, undefined, {}), path).toEqual({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('lets the demo admin run every admin procedure (so the refusals above are about who, not what)', async () => {
    for (const [path, input] of ADMIN_CALLS) {
      expect(await h.server.call(path, input(), bearer(DEMO_TOKENS.admin)), path).toEqual({ status: 200, code: undefined });
    }
  });
});
