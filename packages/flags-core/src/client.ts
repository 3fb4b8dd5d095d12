import type { FlagClient, FlagClientEvent, FlagClientOptions, FlagClientStatus, RouteCounters } from './client-api.js';
import { SourceTimeoutError } from './deadline.js';
import { decide, decodeResolution, encode, isOn, resolutionOf } from './decisions.js';
import { FlagCache, type FlagSet, type UserEntry } from './flag-cache.js';
import { evaluateFlag, notFound } from './resolver.js';
import { EMPTY_USER_STATE, type EvaluationContext, type FlagDefinition, type FlagResolution, type Reason, type Stage } from './schema.js';
import type { Unsubscribe } from './source.js';
import { createStartup } from './startup.js';
import { createTelemetry, type PathCounts } from './telemetry.js';

export type {
  FlagClient,
  FlagClientEvent,
  FlagClientOptions,
  FlagClientStats,
  FlagClientStatus,
  RouteCounters,
  RoutePaths,
} from './client-api.js';

/** setInterval treats longer delays as 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How often the time that TTLs and override expiries are read against is refreshed: reading the clock costs more than a cached answer. */
const CLOCK_TICK_MS = 100;

// Settled promises are immutable, so every caller can share these.
const ON = Promise.resolve(true);
const OFF = Promise.resolve(false);

/** What `lookup` answers besides a decision (decisions are positive). */
const MISS = 0;
const NOT_FOUND = -1;
const FAILED = -2;

/** Stands in for a context a JavaScript caller did not pass. */
const NO_CONTEXT: EvaluationContext = Object.freeze({ userId: '', workspaceId: '' });

/** The decisions of answers that are not a cached flag's (see decisions.ts). */
const NOT_FOUND_DECISION = encode({ key: '', enabled: false, reason: 'FLAG_NOT_FOUND', stage: null });
const SOURCE_ERROR_DECISION = encode({ key: '', enabled: false, reason: 'SOURCE_ERROR', stage: null });

const off = (key: string, reason: Reason, stage: Stage | null): FlagResolution => ({ key, enabled: false, reason, stage });

/** Whether a context has both ids; JavaScript callers can pass anything. */
const hasIds = (ctx: EvaluationContext | null | undefined): ctx is EvaluationContext =>
  ctx != null && typeof ctx.userId === 'string' && ctx.userId !== '' && typeof ctx.workspaceId === 'string' && ctx.workspaceId !== '';

/** The resolver's answer for a context without ids: from the flag alone when the set is known, else the missing id. */
function withoutIdsResolution(key: string, ctx: EvaluationContext | null | undefined, flags: FlagSet | undefined): FlagResolution {
  const safe = ctx ?? NO_CONTEXT;
  const definition = flags?.byKey.get(key)?.definition;
  if (definition !== undefined) return evaluateFlag(definition, EMPTY_USER_STATE, safe);
  if (flags !== undefined) return notFound(key);
  return off(key, typeof safe.userId === 'string' && safe.userId !== '' ? 'INVALID_CONTEXT' : 'TARGETING_KEY_MISSING', null);
}

/**
 * The in-process SDK: evaluates from an in-memory cache of the flag set and of recently seen users'
 * states. A cached answer is computed synchronously, and once something is cached an evaluation
 * never waits for a reload whose TTL ran out: it is served while the reload runs in the background.
 * It does wait, bounded by sourceTimeoutMs, for what a change event marked outdated (so a kill
 * switch or a user's own opt-in applies at once), for a user never seen, and at most
 * startupTimeoutMs for a first flag set. A failed load serves the last known state; with none, the
 * answer is off with SOURCE_ERROR (or NOT_READY while the first load is still under way).
 */
export function createFlagClient(options: FlagClientOptions): FlagClient {
  const { source, onError, onEvaluation } = options;
  const flagsTtlMs = options.flagsTtlMs ?? 30_000;
  const clock = options.clock ?? (() => Date.now());
  const counters = { evaluations: 0, cacheHits: 0, cacheMisses: 0, sourceErrors: 0, sourceTimeouts: 0, invalidContexts: 0 };
  const routes = new Map<string, RouteCounters>();
  const listeners = new Set<(event: FlagClientEvent) => void>();
  const closing = new AbortController();
  let status: FlagClientStatus = 'not-ready';
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
    if (error instanceof SourceTimeoutError) counters.sourceTimeouts++;
    report(error);
  };
  const observe = (resolution: FlagResolution, ctx: EvaluationContext) => {
    if (onEvaluation !== undefined) {
      try {
        onEvaluation(resolution, ctx ?? NO_CONTEXT);
      } catch (error) {
        report(error);
      }
    }
    return resolution;
  };
  const emit = (event: FlagClientEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        report(error);
      }
    }
  };
  const setStatus = (next: FlagClientStatus, error?: unknown) => {
    if (next === status) return;
    status = next;
    emit(error === undefined ? { type: 'status', status } : { type: 'status', status, error });
  };

  const cache: FlagCache = new FlagCache({
    source,
    flagsTtlMs,
    userStateTtlMs: options.userStateTtlMs ?? 30_000,
    maxUsers: options.maxUsers ?? 10_000,
    retryMs: options.sourceRetryMs ?? 1_000,
    sourceTimeoutMs: options.sourceTimeoutMs ?? 2_000,
    clock,
    signal: closing.signal,
    onSourceError(error, what) {
      absorb(error);
      if (what === 'flags') setStatus(cache.flags === undefined ? 'error' : 'stale', error);
    },
    onFlagsLoaded(flags, previous, changedKeys) {
      setStatus(flags.from === 'source' ? 'ready' : 'stale');
      if (previous !== undefined && changedKeys.length > 0) emit({ type: 'flags', changedKeys: [...changedKeys] });
      if (flags.from === 'source') startup.persist(flags.definitions);
    },
  });
  const telemetry = createTelemetry(source, options.telemetry, { clock, timeoutMs: options.sourceTimeoutMs ?? 2_000, report });
  const startup = createStartup({ cache, bootstrap: options.bootstrap, bootstrapFile: options.bootstrapFile, startupTimeoutMs: options.startupTimeoutMs ?? 1_000, report });

  startup.start();
  const unsubscribe: Unsubscribe | undefined = source.subscribe?.((change) => {
    cache.invalidate(change);
    emit({ type: 'change', change });
  });
  const timers = [setInterval(() => cache.tick(), CLOCK_TICK_MS)];
  if (Number.isFinite(flagsTtlMs) && flagsTtlMs > 0) timers.push(setInterval(() => void cache.loadFlags(), Math.min(flagsTtlMs, MAX_TIMER_MS)));
  // Timers alone must not keep a process alive.
  for (const timer of timers) timer.unref();
  void cache.loadFlags();
  const ready = startup.waitForFlags().then(() => cache.flags !== undefined);

  /** stateVersion's objects, one per cached user entry and flag set (a reload makes a new entry). */
  const versions = new WeakMap<UserEntry, { flags: FlagSet; version: object }>();

  function stateVersion(ctx: EvaluationContext): object | undefined {
    const flags = cache.flags;
    if (flags === undefined || flags.outdated || !hasIds(ctx)) return undefined;
    const user = cache.users.peek(ctx.userId, ctx.workspaceId);
    if (user === undefined || user.outdated) return undefined;
    // As an evaluation would: past their TTL, both are reloaded in the background and served meanwhile.
    const now = cache.now;
    if (now >= flags.freshUntil) cache.refreshFlags(flags);
    if (now >= user.freshUntil) cache.refreshUser(user);
    for (const key in user.state.overrides) if (user.state.overrides[key]!.expiresAt !== null) return undefined;
    let known = versions.get(user);
    if (known === undefined || known.flags !== flags) versions.set(user, (known = { flags, version: Object.freeze({}) }));
    return known.version;
  }

  /** The flag `lookup` last answered for (undefined: none), so a caller can build the full resolution without a second lookup. */
  let lookedUp: FlagDefinition | undefined;

  /**
   * The decision from the cache alone, counted and observed: a decision code (see decisions.ts), or
   * MISS when the source must be asked, NOT_FOUND, or FAILED when evaluating threw. With
   * `waitIfOutdated`, what a change event marked outdated is a MISS; without, it is served.
   */
  function lookup(key: string, ctx: EvaluationContext, waitIfOutdated: boolean): number {
    counters.evaluations++;
    try {
      const flags = cache.flags;
      if (flags === undefined || (waitIfOutdated && flags.outdated)) return MISS;
      if (!hasIds(ctx)) return withoutIds(key, ctx, flags);
      const now = cache.now;
      if (now >= flags.freshUntil) cache.refreshFlags(flags);
      const flag = flags.byKey.get(key);
      if (flag === undefined || flag.definition.archived) {
        counters.cacheHits++;
        telemetry?.countKey(key, NOT_FOUND_DECISION);
        if (onEvaluation !== undefined) observe(notFound(key), ctx);
        return NOT_FOUND;
      }
      const user = cache.users.get(ctx.userId, ctx.workspaceId);
      if (user === undefined || (waitIfOutdated && user.outdated)) return MISS;
      if (now >= user.freshUntil) cache.refreshUser(user);
      const decision = decide(cache.decisions, flag, flags, user, ctx, now);
      counters.cacheHits++;
      telemetry?.count(flags, flag, decision);
      lookedUp = flag.definition;
      if (onEvaluation !== undefined) observe(resolutionOf(decision, flag.definition), ctx);
      return decision;
    } catch (error) {
      absorb(error);
      telemetry?.countKey(key, SOURCE_ERROR_DECISION);
      if (onEvaluation !== undefined) observe(off(key, 'SOURCE_ERROR', null), ctx);
      return FAILED;
    }
  }

  /** A context without a user or workspace id: the resolver's answer from the flag alone, never a user load or a cache entry. */
  function withoutIds(key: string, ctx: EvaluationContext | null | undefined, flags: FlagSet | undefined): number {
    counters.invalidContexts++;
    const resolution = withoutIdsResolution(key, ctx, flags);
    lookedUp = flags?.byKey.get(key)?.definition;
    observe(resolution, ctx ?? NO_CONTEXT);
    const decision = encode(resolution);
    telemetry?.countKey(key, decision);
    return decision;
  }

  /** The full resolution for a decision `lookup` just answered. */
  const resolved = (decision: number, key: string): FlagResolution =>
    lookedUp === undefined ? decodeResolution(decision, key, null) : resolutionOf(decision, lookedUp);

  /** The flag set to evaluate against, waiting as the class comment says; a reason when there is none. */
  async function flagsToServe(): Promise<FlagSet | Reason> {
    let flags = cache.flags;
    if (flags?.outdated) flags = await cache.loadFlags();
    if (flags !== undefined) {
      if (cache.tick() >= flags.freshUntil) cache.refreshFlags(flags);
      return flags;
    }
    await startup.waitForFlags();
    if (cache.flags !== undefined) return cache.flags;
    return cache.loadingFlags || startup.bootstrapping ? 'NOT_READY' : 'SOURCE_ERROR';
  }

  async function load(key: string, ctx: EvaluationContext): Promise<FlagResolution> {
    const flags = await flagsToServe();
    if (typeof flags === 'string') return off(key, flags, null);
    if (!hasIds(ctx)) {
      counters.invalidContexts++;
      return withoutIdsResolution(key, ctx, flags);
    }
    const flag = flags.byKey.get(key);
    if (flag === undefined || flag.definition.archived) return notFound(key);
    const { userId, workspaceId } = ctx;
    let user = cache.users.get(userId, workspaceId);
    if (user === undefined) {
      // The source just timed out: another user's load would most likely hang as well.
      if (cache.hung(cache.tick())) return off(key, 'SOURCE_ERROR', flag.definition.stage);
      user = await cache.loadUser(userId, workspaceId);
    } else if (user.outdated) user = await cache.loadUser(userId, workspaceId);
    else if (cache.now >= user.freshUntil) cache.refreshUser(user);
    if (user === undefined) return off(key, 'SOURCE_ERROR', flag.definition.stage);
    return resolutionOf(decide(cache.decisions, flag, flags, user, ctx, cache.now), flag.definition);
  }

  async function fromSource(key: string, ctx: EvaluationContext): Promise<FlagResolution> {
    counters.cacheMisses++;
    let resolution: FlagResolution;
    try {
      resolution = await load(key, ctx);
    } catch (error) {
      absorb(error);
      resolution = off(key, 'SOURCE_ERROR', null);
    }
    telemetry?.countKey(key, encode(resolution));
    return observe(resolution, ctx);
  }

  /** What a synchronous miss answers; it starts the load that a later call can answer from. */
  function syncMiss(key: string, ctx: EvaluationContext): FlagResolution {
    counters.cacheMisses++;
    const now = cache.now;
    const flags = cache.flags;
    let resolution: FlagResolution;
    if (!hasIds(ctx)) {
      // Off whatever the flag set says: a context without ids never turns a flag on.
      counters.invalidContexts++;
      resolution = withoutIdsResolution(key, ctx, flags);
    } else if (flags === undefined) {
      if (!cache.backingOff(now)) void cache.loadFlags();
      resolution = off(key, cache.flagsError !== undefined && !cache.loadingFlags && !startup.bootstrapping ? 'SOURCE_ERROR' : 'NOT_READY', null);
    } else {
      if (!cache.hung(now)) void cache.loadUser(ctx.userId, ctx.workspaceId);
      resolution = off(key, 'NOT_READY', flags.byKey.get(key)?.definition.stage ?? null);
    }
    telemetry?.countKey(key, encode(resolution));
    return observe(resolution, ctx);
  }

  function evaluate(key: string, ctx: EvaluationContext): Promise<FlagResolution> {
    const decision = lookup(key, ctx, true);
    if (decision > 0) return Promise.resolve(resolved(decision, key));
    if (decision === NOT_FOUND) return Promise.resolve(notFound(key));
    if (decision === FAILED) return Promise.resolve(off(key, 'SOURCE_ERROR', null));
    return fromSource(key, ctx);
  }

  /** As evaluate per key; the cache answers all it can synchronously, and only from the first miss on do the rest wait (together, as concurrent evaluate calls would). */
  async function evaluateMany(keys: readonly string[], ctx: EvaluationContext): Promise<FlagResolution[]> {
    const resolutions: FlagResolution[] = new Array<FlagResolution>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const decision = lookup(key, ctx, true);
      if (decision > 0) resolutions[i] = resolved(decision, key);
      else if (decision === NOT_FOUND) resolutions[i] = notFound(key);
      else if (decision === FAILED) resolutions[i] = off(key, 'SOURCE_ERROR', null);
      else {
        const rest = await Promise.all([fromSource(key, ctx), ...keys.slice(i + 1).map((other) => evaluate(other, ctx))]);
        for (let j = 0; j < rest.length; j++) resolutions[i + j] = rest[j]!;
        break;
      }
    }
    return resolutions;
  }

  function routeCounters(key: string): RouteCounters {
    let counter = routes.get(key);
    if (counter === undefined) {
      counter = { enabled: { calls: 0, errors: 0 }, disabled: { calls: 0, errors: 0 }, fallbacks: 0 };
      routes.set(key, counter);
    }
    return counter;
  }

  async function runPath<T>(counter: { calls: number; errors: number }, path: () => T | Promise<T>, timed: PathCounts | undefined): Promise<T> {
    counter.calls++;
    const started = timed === undefined ? 0 : performance.now();
    let failed = true;
    try {
      const value = await path();
      failed = false;
      return value;
    } catch (error) {
      counter.errors++;
      throw error;
    } finally {
      timed?.record(performance.now() - started, failed);
    }
  }

  return {
    evaluate,

    isEnabled(key, ctx) {
      // The hot path: no resolution object and no new promise when the cache can answer.
      const decision = lookup(key, ctx, true);
      if (decision > 0) return isOn(decision) ? ON : OFF;
      if (decision !== MISS) return OFF;
      return fromSource(key, ctx).then((resolution) => resolution.enabled);
    },

    isEnabledSync(key, ctx) {
      const decision = lookup(key, ctx, false);
      if (decision > 0) return isOn(decision);
      if (decision !== MISS) return false;
      const resolution = syncMiss(key, ctx);
      return resolution.reason === 'NOT_READY' || resolution.reason === 'SOURCE_ERROR' ? undefined : resolution.enabled;
    },

    evaluateSync(key, ctx) {
      const decision = lookup(key, ctx, false);
      if (decision > 0) return resolved(decision, key);
      if (decision === NOT_FOUND) return notFound(key);
      if (decision === FAILED) return off(key, 'SOURCE_ERROR', null);
      return syncMiss(key, ctx);
    },

    async evaluateAll(ctx) {
      let flags: FlagSet | Reason = 'SOURCE_ERROR';
      try {
        flags = await flagsToServe();
      } catch (error) {
        absorb(error);
      }
      if (typeof flags === 'string') return [];
      const keys: string[] = [];
      for (const definition of flags.definitions) if (!definition.archived) keys.push(definition.key);
      return evaluateMany(keys, ctx);
    },

    evaluateMany,
    stateVersion,

    async route(key, ctx, paths) {
      const counter = routeCounters(key);
      const enabled = (await evaluate(key, ctx)).enabled;
      // Looked up after the evaluation: a window may have been cut while it waited.
      const timed = telemetry?.route(key);
      if (!enabled) return runPath(counter.disabled, paths.disabled, timed?.disabled);
      try {
        return await runPath(counter.enabled, paths.enabled, timed?.enabled);
      } catch (error) {
        counter.fallbacks++;
        if (timed !== undefined) timed.fallbacks++;
        report(error);
        return runPath(counter.disabled, paths.disabled, timed?.disabled);
      }
    },

    async flags() {
      const flags = await flagsToServe().catch(() => 'SOURCE_ERROR' as const);
      return typeof flags === 'string' ? [] : [...flags.definitions];
    },

    async flagSet() {
      const flags = await flagsToServe().catch(() => 'SOURCE_ERROR' as const);
      return typeof flags === 'string' ? undefined : flags.view;
    },

    flagSetSync: () => cache.flags?.view,

    async refresh() {
      cache.invalidate({ kind: 'reset' });
      await cache.loadFlags();
    },

    ready: () => ready,

    status: () => status,

    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    stats() {
      const lookups = counters.cacheHits + counters.cacheMisses;
      return {
        ...counters,
        hitRate: lookups === 0 ? 0 : counters.cacheHits / lookups,
        invalidFlags: (source.invalidFlags?.() ?? 0) + startup.invalidFlags,
        lastRefreshAt: cache.lastRefreshAt === null ? null : new Date(cache.lastRefreshAt),
        flagsFrom: cache.flags?.from ?? null,
        status,
        cachedUsers: cache.users.size,
        routes: Object.fromEntries([...routes].map(([key, counter]) => [key, structuredClone(counter)])),
        telemetry: telemetry?.stats() ?? null,
      };
    },

    flushMetrics: () => telemetry?.flush() ?? Promise.resolve(false),

    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearInterval(timer);
      // Before the abort below: the last counts are sent while the source is still open.
      await telemetry?.close();
      closing.abort(new Error('the flag client closed'));
      listeners.clear();
      try {
        await unsubscribe?.();
      } catch (error) {
        report(error);
      }
      await startup.close();
    },
  };
}
