import { Lru } from './lru.js';
import { evaluateFlag, notFound } from './resolver.js';
import type { EvaluationContext, FlagDefinition, FlagResolution, UserState } from './schema.js';
import type { FlagChange, FlagSource, Unsubscribe } from './source.js';

export interface FlagClientOptions {
  source: FlagSource;
  /** How long a loaded flag set is served before it is loaded again (also the background poll). */
  flagsTtlMs?: number;
  /** How long one user's opt-ins and overrides are served before they are loaded again. */
  userStateTtlMs?: number;
  /** How many user × workspace states the cache holds; the least recently used goes first. */
  maxUsers?: number;
  /** Milliseconds since the epoch; tests pass a fake one. Also the `now` of evaluations without one. */
  clock?: () => number;
  /** Told about every source failure the client absorbed (it never throws them at the caller). */
  onError?: (error: unknown) => void;
  /** Told about every evaluation, e.g. to count them per flag for analytics. Must be cheap. */
  onEvaluation?: (resolution: FlagResolution, ctx: EvaluationContext) => void;
}

export interface RouteCounters {
  enabled: { calls: number; errors: number };
  disabled: { calls: number; errors: number };
  /** New-path failures answered by the legacy path. */
  fallbacks: number;
}

export interface FlagClientStats {
  evaluations: number;
  cacheHits: number;
  cacheMisses: number;
  hitRate: number;
  sourceErrors: number;
  lastRefreshAt: Date | null;
  cachedUsers: number;
  routes: Record<string, RouteCounters>;
}

export interface RoutePaths<T> {
  enabled: () => T | Promise<T>;
  disabled: () => T | Promise<T>;
}

export interface FlagClient {
  isEnabled(key: string, ctx: EvaluationContext): Promise<boolean>;
  evaluate(key: string, ctx: EvaluationContext): Promise<FlagResolution>;
  evaluateAll(ctx: EvaluationContext): Promise<FlagResolution[]>;
  /** Runs the new path when the flag is on; if it throws, answers with the legacy path instead. */
  route<T>(key: string, ctx: EvaluationContext, paths: RoutePaths<T>): Promise<T>;
  /** The current flag set (loading it if needed); empty when the source has never answered. */
  flags(): Promise<FlagDefinition[]>;
  /** Reloads the flag set now and drops cached user states. */
  refresh(): Promise<void>;
  stats(): FlagClientStats;
  close(): Promise<void>;
}

interface Cached<T> {
  value: T;
  loadedAt: number;
}

const userKey = (userId: string, workspaceId: string) => `${userId}\u0000${workspaceId}`;

/**
 * The in-process SDK: evaluates from an in-memory cache of the flag set and of recently seen users'
 * states. Stale entries are reloaded once (concurrent callers share one load); a failed load serves
 * the last known state, and with none the answer fails safe to off with reason SOURCE_ERROR.
 */
export function createFlagClient(options: FlagClientOptions): FlagClient {
  const { source } = options;
  const flagsTtlMs = options.flagsTtlMs ?? 30_000;
  const userStateTtlMs = options.userStateTtlMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  const users = new Lru<string, Cached<UserState>>(options.maxUsers ?? 10_000);
  const userLoads = new Map<string, Promise<Cached<UserState> | undefined>>();
  const routes: Record<string, RouteCounters> = {};
  const counters = { evaluations: 0, cacheHits: 0, cacheMisses: 0, sourceErrors: 0 };

  let flagSet: Cached<Map<string, FlagDefinition>> | undefined;
  let flagsLoad: Promise<Cached<Map<string, FlagDefinition>> | undefined> | undefined;
  let lastRefreshAt: number | null = null;
  let closed = false;

  const absorb = (error: unknown) => {
    counters.sourceErrors++;
    options.onError?.(error);
  };

  function loadFlags() {
    flagsLoad ??= source
      .loadFlags()
      .then((list) => {
        lastRefreshAt = clock();
        flagSet = { value: new Map(list.map((flag) => [flag.key, flag])), loadedAt: lastRefreshAt };
        return flagSet;
      })
      .catch((error: unknown) => {
        absorb(error);
        return flagSet;
      })
      .finally(() => {
        flagsLoad = undefined;
      });
    return flagsLoad;
  }

  const freshFlags = () => (flagSet && clock() - flagSet.loadedAt < flagsTtlMs ? flagSet : undefined);
  const currentFlags = async () => freshFlags() ?? (await loadFlags());

  function loadUser(key: string, userId: string, workspaceId: string) {
    let load = userLoads.get(key);
    if (!load) {
      load = source
        .loadUserState(userId, workspaceId)
        .then((state) => {
          const entry = { value: state, loadedAt: clock() };
          users.set(key, entry);
          return entry;
        })
        .catch((error: unknown) => {
          absorb(error);
          return users.get(key);
        })
        .finally(() => userLoads.delete(key));
      userLoads.set(key, load);
    }
    return load;
  }

  function onChange(change: FlagChange) {
    if (change.kind === 'user') {
      for (const key of [...users.keys()]) {
        const [userId, workspaceId] = key.split('\u0000');
        if (userId === change.userId && (change.workspaceId === undefined || workspaceId === change.workspaceId)) users.delete(key);
      }
      return;
    }
    if (change.kind === 'reset') users.clear();
    // Mark stale first so evaluations wait for the reload instead of answering from the old set.
    if (flagSet) flagSet = { value: flagSet.value, loadedAt: -Infinity };
    void loadFlags();
  }

  const unsubscribe: Unsubscribe | undefined = source.subscribe?.(onChange);
  const poll = setInterval(() => void loadFlags(), flagsTtlMs);
  poll.unref?.();

  async function resolve(key: string, ctx: EvaluationContext): Promise<FlagResolution> {
    counters.evaluations++;
    let hit = true;
    let flags = freshFlags();
    if (!flags) {
      hit = false;
      flags = await loadFlags();
      if (!flags) return { key, enabled: false, reason: 'SOURCE_ERROR', stage: null };
    }
    const flag = flags.value.get(key);
    if (!flag) return notFound(key);

    const ukey = userKey(ctx.userId, ctx.workspaceId);
    let user = users.get(ukey);
    if (!user || clock() - user.loadedAt >= userStateTtlMs) {
      hit = false;
      user = await loadUser(ukey, ctx.userId, ctx.workspaceId);
      if (!user) return { key, enabled: false, reason: 'SOURCE_ERROR', stage: flag.stage };
    }
    if (hit) counters.cacheHits++;
    else counters.cacheMisses++;
    return evaluateFlag(flag, user.value, ctx.now || !options.clock ? ctx : { ...ctx, now: new Date(clock()) });
  }

  async function evaluate(key: string, ctx: EvaluationContext): Promise<FlagResolution> {
    let resolution: FlagResolution;
    try {
      resolution = await resolve(key, ctx);
    } catch (error) {
      absorb(error);
      resolution = { key, enabled: false, reason: 'SOURCE_ERROR', stage: null };
    }
    options.onEvaluation?.(resolution, ctx);
    return resolution;
  }

  function routeCounters(key: string): RouteCounters {
    return (routes[key] ??= { enabled: { calls: 0, errors: 0 }, disabled: { calls: 0, errors: 0 }, fallbacks: 0 });
  }

  async function runPath<T>(counter: { calls: number; errors: number }, path: () => T | Promise<T>): Promise<T> {
    counter.calls++;
    try {
      return await path();
    } catch (error) {
      counter.errors++;
      throw error;
    }
  }

  return {
    evaluate,
    isEnabled: async (key, ctx) => (await evaluate(key, ctx)).enabled,

    async evaluateAll(ctx) {
      const flags = await currentFlags();
      const keys = flags ? [...flags.value.values()].filter((flag) => !flag.archived).map((flag) => flag.key) : [];
      return Promise.all(keys.map((key) => evaluate(key, ctx)));
    },

    async route(key, ctx, paths) {
      const counter = routeCounters(key);
      if (!(await evaluate(key, ctx)).enabled) return runPath(counter.disabled, paths.disabled);
      try {
        return await runPath(counter.enabled, paths.enabled);
      } catch (error) {
        counter.fallbacks++;
        options.onError?.(error);
        return runPath(counter.disabled, paths.disabled);
      }
    },

    async flags() {
      const flags = await currentFlags();
      return flags ? [...flags.value.values()] : [];
    },

    async refresh() {
      users.clear();
      if (flagSet) flagSet = { value: flagSet.value, loadedAt: -Infinity };
      await loadFlags();
    },

    stats() {
      const lookups = counters.cacheHits + counters.cacheMisses;
      return {
        ...counters,
        hitRate: lookups === 0 ? 0 : counters.cacheHits / lookups,
        lastRefreshAt: lastRefreshAt === null ? null : new Date(lastRefreshAt),
        cachedUsers: users.size,
        routes: structuredClone(routes),
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      await unsubscribe?.();
    },
  };
}
