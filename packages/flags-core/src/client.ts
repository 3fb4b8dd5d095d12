import { decide, isOn, resolutionOf } from './decisions.js';
import { FlagCache, type FlagSet } from './flag-cache.js';
import { notFound } from './resolver.js';
import type { EvaluationContext, FlagDefinition, FlagResolution, Stage } from './schema.js';
import type { FlagSource, Unsubscribe } from './source.js';

export interface FlagClientOptions {
  source: FlagSource;
  /** How long a loaded flag set is served before it is loaded again (also the background poll). */
  flagsTtlMs?: number;
  /** How long one user's opt-ins and overrides are served before they are loaded again. */
  userStateTtlMs?: number;
  /** How many user × workspace states the cache holds; the least recently used goes first. */
  maxUsers?: number;
  /** After a failed load, how long the last known state (or the fail-safe answer) is served before the source is asked again. */
  sourceRetryMs?: number;
  /** Milliseconds since the epoch; tests pass a fake one. Also the `now` of evaluations without one. */
  clock?: () => number;
  /** Told about every failure the client absorbed (source loads, a route's new path): it never throws them at the caller. */
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
  /** Failures absorbed: failed source loads, and evaluations that threw (answered SOURCE_ERROR). */
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
  /** Every flag that is not archived, evaluated for one user. */
  evaluateAll(ctx: EvaluationContext): Promise<FlagResolution[]>;
  /** Runs the new path when the flag is on; if it throws, answers with the legacy path instead. */
  route<T>(key: string, ctx: EvaluationContext, paths: RoutePaths<T>): Promise<T>;
  /** The current flag set (loading it if needed); empty when the source has never answered. */
  flags(): Promise<FlagDefinition[]>;
  /** Reloads the flag set now and marks cached user states stale. */
  refresh(): Promise<void>;
  stats(): FlagClientStats;
  close(): Promise<void>;
}

/** setInterval treats longer delays as 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

// Settled promises are immutable, so every caller can share these.
const ON = Promise.resolve(true);
const OFF = Promise.resolve(false);

/** What `lookup` answers besides a decision (decisions are positive). */
const MISS = 0;
const NOT_FOUND = -1;
const FAILED = -2;

const sourceError = (key: string, stage: Stage | null): FlagResolution => ({ key, enabled: false, reason: 'SOURCE_ERROR', stage });

/**
 * The in-process SDK: evaluates from an in-memory cache of the flag set and of recently seen users'
 * states. A cached answer is computed synchronously; only a miss waits for the source. A failed load
 * serves the last known state, and with none the answer fails safe to off with reason SOURCE_ERROR.
 */
export function createFlagClient(options: FlagClientOptions): FlagClient {
  const { source, onError, onEvaluation } = options;
  const flagsTtlMs = options.flagsTtlMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  const counters = { evaluations: 0, cacheHits: 0, cacheMisses: 0, sourceErrors: 0 };
  const routes = new Map<string, RouteCounters>();
  let closed = false;

  // A throwing hook must not turn into a throwing evaluation.
  const report = (error: unknown) => {
    try {
      onError?.(error);
    } catch {
      /* nowhere left to report it */
    }
  };
  const absorb = (error: unknown) => {
    counters.sourceErrors++;
    report(error);
  };
  const observe = (resolution: FlagResolution, ctx: EvaluationContext) => {
    if (onEvaluation !== undefined) {
      try {
        onEvaluation(resolution, ctx);
      } catch (error) {
        report(error);
      }
    }
    return resolution;
  };

  const cache = new FlagCache({
    source,
    flagsTtlMs,
    userStateTtlMs: options.userStateTtlMs ?? 30_000,
    maxUsers: options.maxUsers ?? 10_000,
    retryMs: options.sourceRetryMs ?? 1_000,
    clock,
    onSourceError: absorb,
  });
  const unsubscribe: Unsubscribe | undefined = source.subscribe?.((change) => cache.invalidate(change));
  const poll =
    Number.isFinite(flagsTtlMs) && flagsTtlMs > 0 ? setInterval(() => void cache.loadFlags(), Math.min(flagsTtlMs, MAX_TIMER_MS)) : undefined;
  // The poll alone must not keep a process alive.
  poll?.unref();

  /** The flag `lookup` last answered for, so a caller can build the full resolution without a second lookup. */
  let lookedUp: FlagDefinition | undefined;

  /**
   * The decision from the cache alone, counted and observed: a decision code (see decisions.ts), or
   * MISS when the source must be asked, NOT_FOUND, or FAILED when evaluating threw.
   */
  function lookup(key: string, ctx: EvaluationContext): number {
    counters.evaluations++;
    try {
      const now = clock();
      const flags = cache.freshFlags(now);
      if (flags === undefined) return MISS;
      const flag = flags.byKey.get(key);
      if (flag === undefined || flag.definition.archived) {
        counters.cacheHits++;
        if (onEvaluation !== undefined) observe(notFound(key), ctx);
        return NOT_FOUND;
      }
      const user = cache.freshUser(ctx.userId, ctx.workspaceId, now);
      if (user === undefined) return MISS;
      const decision = decide(flag, flags, user, ctx, now);
      counters.cacheHits++;
      lookedUp = flag.definition;
      if (onEvaluation !== undefined) observe(resolutionOf(decision, flag.definition), ctx);
      return decision;
    } catch (error) {
      absorb(error);
      if (onEvaluation !== undefined) observe(sourceError(key, null), ctx);
      return FAILED;
    }
  }

  async function fromSource(key: string, ctx: EvaluationContext): Promise<FlagResolution> {
    counters.cacheMisses++;
    let resolution: FlagResolution;
    try {
      resolution = await load(key, ctx);
    } catch (error) {
      absorb(error);
      resolution = sourceError(key, null);
    }
    return observe(resolution, ctx);
  }

  async function currentFlags(): Promise<FlagSet | undefined> {
    const now = clock();
    return cache.freshFlags(now) ?? (cache.backingOff(now) ? undefined : cache.loadFlags());
  }

  async function load(key: string, ctx: EvaluationContext): Promise<FlagResolution> {
    const flags = await currentFlags();
    if (flags === undefined) return sourceError(key, null);
    const flag = flags.byKey.get(key);
    if (flag === undefined || flag.definition.archived) return notFound(key);
    const user = cache.freshUser(ctx.userId, ctx.workspaceId, clock()) ?? (await cache.loadUser(ctx.userId, ctx.workspaceId));
    if (user === undefined) return sourceError(key, flag.definition.stage);
    return resolutionOf(decide(flag, flags, user, ctx, clock()), flag.definition);
  }

  function evaluate(key: string, ctx: EvaluationContext): Promise<FlagResolution> {
    const decision = lookup(key, ctx);
    if (decision > 0 && lookedUp !== undefined) return Promise.resolve(resolutionOf(decision, lookedUp));
    if (decision === NOT_FOUND) return Promise.resolve(notFound(key));
    if (decision === FAILED) return Promise.resolve(sourceError(key, null));
    return fromSource(key, ctx);
  }

  function routeCounters(key: string): RouteCounters {
    let counter = routes.get(key);
    if (counter === undefined) {
      counter = { enabled: { calls: 0, errors: 0 }, disabled: { calls: 0, errors: 0 }, fallbacks: 0 };
      routes.set(key, counter);
    }
    return counter;
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

    isEnabled(key, ctx) {
      // The hot path: no resolution object and no new promise when the cache can answer.
      const decision = lookup(key, ctx);
      if (decision > 0) return isOn(decision) ? ON : OFF;
      if (decision !== MISS) return OFF;
      return fromSource(key, ctx).then((resolution) => resolution.enabled);
    },

    async evaluateAll(ctx) {
      let flags: FlagSet | undefined;
      try {
        flags = await currentFlags();
      } catch (error) {
        absorb(error);
      }
      if (flags === undefined) return [];
      const keys: string[] = [];
      for (const { definition } of flags.byKey.values()) if (!definition.archived) keys.push(definition.key);
      return Promise.all(keys.map((key) => evaluate(key, ctx)));
    },

    async route(key, ctx, paths) {
      const counter = routeCounters(key);
      if (!(await evaluate(key, ctx)).enabled) return runPath(counter.disabled, paths.disabled);
      try {
        return await runPath(counter.enabled, paths.enabled);
      } catch (error) {
        counter.fallbacks++;
        report(error);
        return runPath(counter.disabled, paths.disabled);
      }
    },

    async flags() {
      const flags = await currentFlags().catch(() => undefined);
      return flags === undefined ? [] : [...flags.byKey.values()].map((flag) => flag.definition);
    },

    async refresh() {
      cache.invalidate({ kind: 'reset' });
      await cache.loadFlags();
    },

    stats() {
      const lookups = counters.cacheHits + counters.cacheMisses;
      return {
        ...counters,
        hitRate: lookups === 0 ? 0 : counters.cacheHits / lookups,
        lastRefreshAt: cache.lastRefreshAt === null ? null : new Date(cache.lastRefreshAt),
        cachedUsers: cache.users.size,
        routes: Object.fromEntries([...routes].map(([key, counter]) => [key, structuredClone(counter)])),
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      try {
        await unsubscribe?.();
      } catch (error) {
        report(error);
      }
    },
  };
}
