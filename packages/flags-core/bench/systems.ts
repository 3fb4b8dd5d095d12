/**
 * The three systems the isEnabled benchmark compares, each set up with the same 100 flags (same
 * stages and rollout percentages) and the same 10,000 users, evaluating locally with no network.
 */
import { PostHog, type PostHogOptions } from 'posthog-node';
import { InMemStorageProvider, startUnleash, type UnleashConfig } from 'unleash-client';
import { createFlagClient, createMemorySource, newFlag, type Stage } from '../src/index.js';
import { prng } from '../src/testing.js';

export interface FlagSpec {
  key: string;
  stage: Stage;
  rolloutPercentage: number;
  killed: boolean;
}

/** A fixed workload: which (flag, user) pair the i-th evaluation asks about. */
export interface Workload {
  flags: FlagSpec[];
  userIds: string[];
  workspaceIds: string[];
  flagAt: Uint16Array;
  userAt: Uint32Array;
}

export interface System {
  name: string;
  /** Loads whatever per-user state the system keeps, without evaluating any measured pair. */
  prepare(): Promise<void>;
  /** Evaluates pairs [from, to) of the workload with the synchronous API (absent: the system has none); returns how many were on, so the work is observable. */
  runSync?: (from: number, to: number, answers?: Uint8Array) => number;
  /** The same, each answer awaited as an async call site would. */
  runAsync(from: number, to: number, answers?: Uint8Array): Promise<number>;
  /** Anything worth printing next to the numbers (e.g. cache hit rate). */
  notes(): string;
  close(): Promise<void>;
}

const PERCENTAGES = [1, 5, 10, 25, 50, 75, 100];

/**
 * Every (flag, user) pair exactly once, in a seeded random order. Evaluations of a stretch never
 * evaluated before are first evaluations; a stretch evaluated already measures repeat evaluations.
 */
export function makeWorkload(flagCount: number, userCount: number, seed = 42): Workload {
  const random = prng(seed);
  const flags = Array.from({ length: flagCount }, (_, i): FlagSpec => {
    const kind = i % 10;
    const stage: Stage = kind === 0 ? 'lab' : kind <= 3 ? 'beta' : kind === 4 ? 'alpha' : 'ga';
    return { key: `bench-flag-${i}`, stage, rolloutPercentage: PERCENTAGES[i % PERCENTAGES.length]!, killed: kind === 5 };
  });
  // UUID-shaped ids: the hashed string is as long as in production.
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const generated = Array.from({ length: userCount }, () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`);
  // Through JSON, as ids arrive in a service: flat strings, not the concatenation trees built above.
  const userIds = JSON.parse(JSON.stringify(generated)) as string[];
  const workspaceIds = userIds.map((_, i) => `ws-${i % 500}`);
  const length = flagCount * userCount;
  const order = new Uint32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const flagAt = new Uint16Array(length);
  const userAt = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    flagAt[i] = order[i]! % flagCount;
    userAt[i] = Math.floor(order[i]! / flagCount);
  }
  return { flags, userIds, workspaceIds, flagAt, userAt };
}

/** Whether a flag can be on at all: lab flags and killed flags are off for everyone, in every system. */
const live = (flag: FlagSpec) => flag.stage !== 'lab' && !flag.killed;

/** A flag only Stagegate has, evaluated once per user to load user states without deciding any measured pair. */
const WARMUP_FLAG: FlagSpec = { key: 'bench-warmup', stage: 'ga', rolloutPercentage: 100, killed: false };

export function stagegate(workload: Workload): System {
  const definitions = [...workload.flags, WARMUP_FLAG].map((flag) =>
    newFlag({
      key: flag.key,
      name: flag.key,
      stage: flag.stage,
      ttlStart: new Date('2026-01-01T00:00:00Z'),
      ttlDays: 90,
      category: 'bench',
      owner: 'bench@example.com',
      rolloutPercentage: flag.rolloutPercentage,
      kill: flag.killed ? { reason: 'bench', at: new Date('2026-01-02T00:00:00Z'), by: 'bench@example.com' } : null,
    }),
  );
  // TTLs longer than the run, so every measured evaluation is a warm-cache one (checked in notes()).
  const client = createFlagClient({ source: createMemorySource(definitions), flagsTtlMs: 3_600_000, userStateTtlMs: 3_600_000, maxUsers: workload.userIds.length });
  const keys = workload.flags.map((flag) => flag.key);
  const contexts = workload.userIds.map((userId, i) => ({ userId, workspaceId: workload.workspaceIds[i]! }));
  const { flagAt, userAt } = workload;
  let mark = client.stats();
  let unanswered = 0;
  return {
    name: 'Stagegate',
    async prepare() {
      for (const ctx of contexts) await client.isEnabled(WARMUP_FLAG.key, ctx);
    },
    runSync(from, to, answers) {
      let on = 0;
      for (let i = from; i < to; i++) {
        const enabled = client.isEnabledSync(keys[flagAt[i]!]!, contexts[userAt[i]!]!);
        if (enabled === undefined) unanswered++;
        if (enabled === true) on++;
        if (answers) answers[i - from] = enabled === true ? 1 : 0;
      }
      return on;
    },
    async runAsync(from, to, answers) {
      let on = 0;
      for (let i = from; i < to; i++) {
        const enabled = await client.isEnabled(keys[flagAt[i]!]!, contexts[userAt[i]!]!);
        if (enabled) on++;
        if (answers) answers[i - from] = enabled ? 1 : 0;
      }
      return on;
    },
    notes() {
      const now = client.stats();
      const evaluations = now.evaluations - mark.evaluations;
      const hits = now.cacheHits - mark.cacheHits;
      mark = now;
      return `cache hits ${hits}/${evaluations} since last note, ${unanswered} sync answers missing, ${now.cachedUsers} users cached, ${now.sourceErrors} source errors`;
    },
    close: () => client.close(),
  };
}

type UnleashFeature = NonNullable<NonNullable<UnleashConfig['bootstrap']>['data']>[number];

export async function unleash(workload: Workload): Promise<System> {
  const data = workload.flags.map(
    (flag): UnleashFeature => ({
      name: flag.key,
      enabled: live(flag),
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(flag.rolloutPercentage), stickiness: 'userId', groupId: flag.key }, constraints: [] }],
    }),
  );
  const client = await startUnleash({
    appName: 'stagegate-bench',
    // Nothing listens here, and refreshInterval 0 means the client never fetches: it runs on the bootstrap alone.
    url: 'http://127.0.0.1:9/api/',
    refreshInterval: 0,
    disableMetrics: true,
    bootstrap: { data },
    storageProvider: new InMemStorageProvider(),
    skipInstanceCountWarning: true,
  });
  const errors: unknown[] = [];
  client.on('error', (error: unknown) => errors.push(error));
  const keys = workload.flags.map((flag) => flag.key);
  const contexts = workload.userIds.map((userId) => ({ userId }));
  const { flagAt, userAt } = workload;
  return {
    name: 'Unleash',
    prepare: async () => undefined,
    runSync(from, to, answers) {
      let on = 0;
      for (let i = from; i < to; i++) {
        const enabled = client.isEnabled(keys[flagAt[i]!]!, contexts[userAt[i]!]!);
        if (enabled) on++;
        if (answers) answers[i - from] = enabled ? 1 : 0;
      }
      return on;
    },
    async runAsync(from, to, answers) {
      let on = 0;
      for (let i = from; i < to; i++) {
        // Unleash answers synchronously; an async call site pays for a promise around it.
        const enabled = await Promise.resolve(client.isEnabled(keys[flagAt[i]!]!, contexts[userAt[i]!]!));
        if (enabled) on++;
        if (answers) answers[i - from] = enabled ? 1 : 0;
      }
      return on;
    },
    notes: () => `${errors.length} client errors`,
    close: async () => client.destroy(),
  };
}

export async function posthog(workload: Workload): Promise<System> {
  const definitions = {
    flags: workload.flags.map((flag, i) => ({
      id: i + 1,
      name: flag.key,
      key: flag.key,
      active: live(flag),
      deleted: false,
      ensure_experience_continuity: false,
      filters: { groups: [{ properties: [], rollout_percentage: flag.rolloutPercentage }] },
    })),
    group_type_mapping: {},
    cohorts: {},
  };
  const requests: string[] = [];
  // Stands in for PostHog's flag-definitions endpoint; any other request would be a bench bug, so it is counted.
  const serve: NonNullable<PostHogOptions['fetch']> = async (url) => {
    requests.push(url);
    const ok = url.includes('/flags/definitions');
    const body = ok ? definitions : {};
    return { status: ok ? 200 : 404, text: async () => JSON.stringify(body), json: async () => body, headers: { get: () => null } };
  };
  const client = new PostHog('phc_stagegate_bench', {
    host: 'http://127.0.0.1:9',
    personalApiKey: 'phx_stagegate_bench',
    fetch: serve,
    featureFlagsPollingInterval: null,
    fetchRetryCount: 0,
    requestTimeout: 1_000,
    strictLocalEvaluation: true,
  });
  if (!(await client.waitForLocalEvaluationReady(5_000))) throw new Error('posthog-node did not load the flag definitions');
  const options = { onlyEvaluateLocally: true, sendFeatureFlagEvents: false };
  const keys = workload.flags.map((flag) => flag.key);
  const { flagAt, userAt, userIds } = workload;
  let undecided = 0;
  return {
    name: 'PostHog',
    prepare: async () => undefined,
    async runAsync(from, to, answers) {
      let on = 0;
      for (let i = from; i < to; i++) {
        const result = await client.isFeatureEnabled(keys[flagAt[i]!]!, userIds[userAt[i]!]!, options);
        if (result === undefined) undecided++;
        if (result === true) on++;
        if (answers) answers[i - from] = result === true ? 1 : 0;
      }
      return on;
    },
    notes: () => `${requests.length} definition request(s), ${requests.filter((url) => !url.includes('/flags/definitions')).length} other requests, ${undecided} undecided answers`,
    close: () => client.shutdown(2_000),
  };
}
