import { createHash } from 'node:crypto';
import { PostHog, type PostHogOptions } from 'posthog-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketingId, isInRollout, rolloutHash } from './bucketing.js';
import { evaluateFlag } from './resolver.js';
import { EMPTY_USER_STATE } from './schema.js';
import { findBucketingId, makeContext, makeFlag } from './testing.js';

const PERCENTAGES = [0, 0.1, 5, 25, 50, 99.99, 100];
const ID_COUNT = 10_000;

/** Deterministic ids in the shapes real callers send: slugs, UUIDs, emails, non-ASCII. */
function sampleId(kind: string, i: number): string {
  switch (i % 4) {
    case 0:
      return `${kind}-${i}`;
    case 1: {
      const hex = createHash('sha256').update(`${kind}${i}`).digest('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    }
    case 2:
      return `${kind}.${i}@example.com`;
    default:
      return `${kind}-ユーザー-${i}-🚀`;
  }
}

const userIds = Array.from({ length: ID_COUNT }, (_, i) => sampleId('user', i));
// Four users per workspace, so PostHog also confirms that a workspace's users share one answer.
const workspaceOf = (i: number): string => sampleId('ws', Math.floor(i / 4));

describe('rolloutHash / bucketingId / isInRollout', () => {
  it('is sha1(`${key}.${id}${salt}`) to 15 hex digits over 0xfffffffffffffff, as PostHog defines it', () => {
    for (const [key, id, salt] of [['new-editor', 'user-1', ''], ['new-editor', 'user-1', 'variant'], ['a', '', ''], ['k', '👩‍💻', 'x']] as const) {
      const hex = createHash('sha1').update(`${key}.${id}${salt}`).digest('hex');
      expect(rolloutHash(key, id, salt)).toBe(parseInt(hex.slice(0, 15), 16) / parseInt('f'.repeat(15), 16));
    }
  });

  it('buckets by the user or by the whole workspace', () => {
    expect(bucketingId({ bucketBy: 'user' }, 'user-1', 'ws-1')).toBe('user-1');
    expect(bucketingId({ bucketBy: 'workspace' }, 'user-1', 'ws-1')).toBe('ws-1');
  });

  it('includes nobody at 0 % and everybody at 100 %, even the extreme hashes', () => {
    const byHash = [...userIds].sort((a, b) => rolloutHash('k', a) - rolloutHash('k', b));
    const [lowest, highest] = [byHash[0]!, byHash[byHash.length - 1]!];
    expect(isInRollout('k', lowest, 0)).toBe(false);
    expect(isInRollout('k', highest, 100)).toBe(true);
    expect(userIds.filter((id) => isInRollout('k', id, 0))).toEqual([]);
    expect(userIds.filter((id) => !isInRollout('k', id, 100))).toEqual([]);
  });

  it('never drops a user when a rollout grows', () => {
    // Raising 5 → 25 → 50 % must only add users, or a ramp-up would flicker features off.
    const steps = [5, 25, 50];
    const dropped = userIds.filter((id) => steps.some((p, i) => i > 0 && isInRollout('ramp', id, steps[i - 1]!) && !isInRollout('ramp', id, p)));
    expect(dropped).toEqual([]);
    expect(userIds.filter((id) => isInRollout('ramp', id, 5)).length).toBeGreaterThan(0);
  });

  it('gives different flags independent buckets', () => {
    // One hash for every flag would put the same users into every rollout: 50 % ∧ 50 % must be ~25 %.
    const both = userIds.filter((id) => isInRollout('flag-a', id, 50) && isInRollout('flag-b', id, 50)).length;
    expect(both / ID_COUNT).toBeGreaterThan(0.23);
    expect(both / ID_COUNT).toBeLessThan(0.27);
  });
});

/** The definitions PostHog's local evaluation downloads: one user flag and one workspace group flag per percentage. */
const userFlagKey = (p: number): string => `user-rollout-${p}`;
const workspaceFlagKey = (p: number): string => `workspace-rollout-${p}`;
const definitions = {
  flags: PERCENTAGES.flatMap((p, i) => [
    { id: 2 * i + 1, key: userFlagKey(p), active: true, filters: { groups: [{ properties: [], rollout_percentage: p }] } },
    {
      id: 2 * i + 2,
      key: workspaceFlagKey(p),
      active: true,
      filters: { aggregation_group_type_index: 0, groups: [{ properties: [], rollout_percentage: p }] },
    },
  ]),
  group_type_mapping: { '0': 'workspace' },
  cohorts: {},
};

// Ids on both sides of every partial rollout: 10,000 random ids expect ~10 in at 0.1 % and ~1 out at
// 99.99 %, so each percentage also gets one id the hash puts in and one it puts out.
const edgeSamples = PERCENTAGES.filter((p) => p > 0 && p < 100).flatMap((p) => [
  { userId: findBucketingId(userFlagKey(p), p, true), workspaceId: findBucketingId(workspaceFlagKey(p), p, false, 'ws') },
  { userId: findBucketingId(userFlagKey(p), p, false), workspaceId: findBucketingId(workspaceFlagKey(p), p, true, 'ws') },
]);
const samples = [...userIds.map((userId, i) => ({ userId, workspaceId: workspaceOf(i) })), ...edgeSamples];

describe('PostHog equivalence (posthog-node local evaluation)', () => {
  const requests: string[] = [];
  /** Each sample's answers from PostHog, by flag key. */
  const posthogAnswers: Record<string, unknown>[] = [];
  let definitionsLoaded = false;

  // No PostHog server can run here: this fetch plays the server's definitions endpoint and records
  // every request, so the test can prove local evaluation asked for nothing else.
  const servePostHog: NonNullable<PostHogOptions['fetch']> = async (url, options) => {
    const path = new URL(url).pathname;
    requests.push(`${options.method} ${path}`);
    const found = path === '/flags/definitions';
    const body = found ? JSON.stringify(definitions) : '{}';
    return { status: found ? 200 : 404, headers: new Headers(), text: async () => body, json: async () => JSON.parse(body) as unknown };
  };

  beforeAll(async () => {
    const client = new PostHog('phc_test', {
      host: 'http://127.0.0.1:9',
      secretKey: 'phx_test',
      fetch: servePostHog,
      featureFlagsPollingInterval: null,
      fetchRetryCount: 0,
      requestTimeout: 1000,
      sendFeatureFlagEvent: false,
      strictLocalEvaluation: true,
    });
    try {
      definitionsLoaded = await client.waitForLocalEvaluationReady(5000);
      for (const { userId, workspaceId } of samples) {
        const flags = await client.evaluateFlags(userId, { groups: { workspace: workspaceId }, onlyEvaluateLocally: true });
        posthogAnswers.push(Object.fromEntries(definitions.flags.map(({ key }) => [key, flags.getFlag(key, { sendFeatureFlagEvents: false })])));
      }
    } finally {
      await client.shutdown(1000);
    }
  }, 60_000);

  it('loaded the definitions and asked PostHog for nothing else', () => {
    expect(definitionsLoaded).toBe(true);
    expect(requests).toEqual(['GET /flags/definitions']);
  });

  it.each(PERCENTAGES)('user bucketing at %s per cent decides exactly as PostHog for 10,000 ids', (p) => {
    const flag = makeFlag({ key: userFlagKey(p), rolloutPercentage: p });
    const mismatches = samples.flatMap(({ userId }, i) => {
      const posthog = posthogAnswers[i]![flag.key];
      const ours = isInRollout(flag.key, userId, p);
      const resolved = evaluateFlag(flag, EMPTY_USER_STATE, makeContext({ userId })).enabled;
      return posthog === ours && resolved === ours ? [] : [{ userId, posthog, ours, resolved }];
    });
    expect(mismatches).toEqual([]);
    // Agreement would prove little if both sides answered the same wrong share.
    const share = posthogAnswers.slice(0, ID_COUNT).filter((answers) => answers[flag.key] === true).length / ID_COUNT;
    expect(Math.abs(share - p / 100)).toBeLessThanOrEqual(0.02);
  });

  it.each(PERCENTAGES)('workspace bucketing at %s per cent decides exactly as a PostHog group flag', (p) => {
    const flag = makeFlag({ key: workspaceFlagKey(p), rolloutPercentage: p, bucketBy: 'workspace' });
    const answerByWorkspace = new Map<string, boolean>();
    const mismatches = samples.flatMap(({ userId, workspaceId }, i) => {
      const posthog = posthogAnswers[i]![flag.key];
      const resolved = evaluateFlag(flag, EMPTY_USER_STATE, makeContext({ userId, workspaceId })).enabled;
      answerByWorkspace.set(workspaceId, resolved);
      return posthog === resolved ? [] : [{ userId, workspaceId, posthog, resolved }];
    });
    expect(mismatches).toEqual([]);
    const workspaces = [...answerByWorkspace.values()];
    expect(Math.abs(workspaces.filter(Boolean).length / workspaces.length - p / 100)).toBeLessThanOrEqual(0.03);
  });
});
