import { SourceTimeoutError, withDeadline } from './deadline.js';
import { DecisionTable, type CompiledFlag } from './decisions.js';
import { Lru, LruEntry } from './lru.js';
import { EMPTY_USER_STATE, type FlagDefinition, type UserState } from './schema.js';
import type { FlagChange, FlagSource, SourceCallOptions } from './source.js';

export interface FlagCacheOptions {
  source: FlagSource;
  flagsTtlMs: number;
  userStateTtlMs: number;
  maxUsers: number;
  /** After a failed load, how long what is known is served before the source is asked again. */
  retryMs: number;
  /** Every source call is abandoned (and its signal aborted) after this long. */
  sourceTimeoutMs: number;
  clock: () => number;
  /** Aborted when the client closes: every call in flight is abandoned. */
  signal: AbortSignal;
  onSourceError: (error: unknown, what: 'flags' | 'user') => void;
  /** A flag set from the source (or a bootstrap) was installed: `changedKeys` differ from `previous` (empty: `flags` is `previous`, kept). */
  onFlagsLoaded: (flags: FlagSet, previous: FlagSet | undefined, changedKeys: readonly string[]) => void;
}

/** Where a flag set came from: the source, or a bootstrap snapshot served until the source answers. */
export type FlagSetOrigin = 'source' | 'bootstrap';

/**
 * One flag set as callers see it: the same frozen object until a load brings different flags, so
 * whatever a caller derives from the flags (a sorted list, a serialised body) can be keyed on it.
 */
export interface FlagSetView {
  /** Counts up by one with every different flag set the client installs (1 for the first). */
  readonly version: number;
  readonly definitions: readonly FlagDefinition[];
  readonly from: FlagSetOrigin;
}

export interface FlagSet {
  readonly view: FlagSetView;
  readonly byKey: ReadonlyMap<string, CompiledFlag>;
  readonly definitions: readonly FlagDefinition[];
  /** How many slots its flags use. */
  readonly slots: number;
  readonly from: FlagSetOrigin;
  /** From then on it is reloaded in the background; it is served meanwhile. */
  freshUntil: number;
  /** A change event said it is out of date: evaluations wait for the reload (or its failure). */
  outdated: boolean;
}

const isEmpty = (record: object): boolean => {
  for (const _ in record) return false;
  return true;
};

/**
 * Most users have no opt-ins, overrides or workspace policy: their state is the one shared, frozen
 * EMPTY_USER_STATE, so evaluating among thousands of users reads one object that stays in the CPU's
 * cache instead of three cold ones per user (and holds no copy per user).
 */
function shared(state: UserState): UserState {
  return state.workspace === undefined && isEmpty(state.optIns) && isEmpty(state.overrides) ? EMPTY_USER_STATE : state;
}

/** One user's state in one workspace. */
export class UserEntry extends LruEntry {
  /** Its row of decisions (DecisionTable) while it is cached, -1 once dropped; and the flag set the row's decisions are for. */
  row = -1;
  decidedFor: FlagSet | undefined = undefined;
  /** A change event said it is out of date: evaluations wait for the reload (or its failure). */
  outdated = false;
  constructor(
    userId: string,
    workspaceId: string,
    readonly state: UserState,
    public freshUntil: number,
  ) {
    super(userId, workspaceId);
  }
}

/** Keys added, removed or changed between two flag sets. */
function changedKeys(previous: FlagSet, next: readonly FlagDefinition[]): string[] {
  const changed: string[] = [];
  const keys = new Set<string>();
  for (const definition of next) {
    keys.add(definition.key);
    const before = previous.byKey.get(definition.key)?.definition;
    if (before === definition) continue;
    if (before === undefined || before.version !== definition.version || JSON.stringify(before) !== JSON.stringify(definition)) changed.push(definition.key);
  }
  for (const key of previous.byKey.keys()) if (!keys.has(key)) changed.push(key);
  return changed;
}

/** Set by a change event that lands while a load is in flight: that load's answer may predate it. */
interface Ticket {
  dirty: boolean;
}

interface UserLoad {
  readonly ticket: Ticket;
  readonly promise: Promise<UserEntry | undefined>;
}

/**
 * The flag set and recently seen users' states, each loaded at most once at a time (concurrent
 * callers share the load), every load bounded by `sourceTimeoutMs`. Entries whose TTL passed are
 * still served while they reload in the background; a change event marks them outdated instead of
 * dropping them, so a source that fails right after still leaves the last known state to serve.
 */
export class FlagCache {
  flags: FlagSet | undefined;
  /** The clock as of the last tick: what hot-path TTL checks read, because reading the clock costs more than a cached answer. */
  now: number;
  lastRefreshAt: number | null = null;
  /** The last flag-set load's failure; undefined once one succeeds. */
  flagsError: unknown = undefined;
  readonly users: Lru<UserEntry>;
  /** Decisions already made for the cached users' states (see decisions.ts). */
  readonly decisions = new DecisionTable();

  private flagsLoad: Promise<FlagSet | undefined> | undefined;
  private versions = 0;
  private readonly flagsTicket: Ticket = { dirty: false };
  /** With no flag set known, failures are not retried before this time (no hammering a down source). */
  private flagsRetryAt = -Infinity;
  /** After a call timed out, loads of users never seen are not waited for before this time. */
  private hungUntil = -Infinity;
  private readonly userLoads = new Map<string, Map<string, UserLoad>>();

  constructor(private readonly options: FlagCacheOptions) {
    this.users = new Lru<UserEntry>(options.maxUsers, (entry) => {
      this.decisions.release(entry.row);
      entry.row = -1;
    });
    this.now = options.clock();
  }

  /** Reads the clock into `now`. */
  tick(): number {
    return (this.now = this.options.clock());
  }

  get loadingFlags(): boolean {
    return this.flagsLoad !== undefined;
  }

  /** True while nothing is known and the last load failed too recently to ask again. */
  backingOff(now: number): boolean {
    return this.flags === undefined && now < this.flagsRetryAt;
  }

  /** True shortly after a source call timed out: waiting for a new user's state would likely wait in vain. */
  hung(now: number): boolean {
    return now < this.hungUntil;
  }

  /** Starts a reload of a flag set whose TTL passed, once per retry window; the set is served meanwhile. */
  refreshFlags(flags: FlagSet): void {
    flags.freshUntil = this.now + this.options.retryMs;
    void this.loadFlags();
  }

  /** Starts a reload of a user state whose TTL passed, once per retry window; the state is served meanwhile. */
  refreshUser(entry: UserEntry): void {
    entry.freshUntil = this.now + this.options.retryMs;
    void this.loadUser(entry.outer, entry.inner);
  }

  /** Serves `definitions` until the source answers; ignored once the source has answered. */
  bootstrap(definitions: readonly FlagDefinition[]): boolean {
    if (this.flags !== undefined && this.flags.from === 'source') return false;
    // Stale from the start, so the first evaluation also asks the source.
    this.install(definitions, 'bootstrap', -Infinity);
    return true;
  }

  /** Resolves to the flag set after the load, or the last known one if it failed (undefined if none). */
  loadFlags(): Promise<FlagSet | undefined> {
    this.flagsLoad ??= this.fetchFlags().finally(() => {
      this.flagsLoad = undefined;
      // A change that landed after the last fetch returned but before this ran still needs a load.
      if (this.flagsTicket.dirty && !this.options.signal.aborted) void this.loadFlags();
    });
    return this.flagsLoad;
  }

  /** Resolves to the user's state after the load, or the last known one if it failed. */
  loadUser(userId: string, workspaceId: string): Promise<UserEntry | undefined> {
    let byWorkspace = this.userLoads.get(userId);
    const inFlight = byWorkspace?.get(workspaceId);
    if (inFlight !== undefined) return inFlight.promise;
    if (byWorkspace === undefined) this.userLoads.set(userId, (byWorkspace = new Map()));
    const ticket: Ticket = { dirty: false };
    const loads = byWorkspace;
    const promise = this.fetchUser(userId, workspaceId, ticket).finally(() => {
      loads.delete(workspaceId);
      if (loads.size === 0 && this.userLoads.get(userId) === loads) this.userLoads.delete(userId);
    });
    loads.set(workspaceId, { ticket, promise });
    return promise;
  }

  invalidate(change: FlagChange): void {
    const outdate = (entry: UserEntry) => {
      entry.outdated = true;
    };
    const dirty = (load: UserLoad | undefined) => {
      if (load !== undefined) load.ticket.dirty = true;
    };
    switch (change.kind) {
      case 'user': {
        const { userId, workspaceId } = change;
        if (workspaceId === undefined) this.users.forEach(outdate, userId);
        else {
          const entry = this.users.peek(userId, workspaceId);
          if (entry !== undefined) outdate(entry);
        }
        const loads = this.userLoads.get(userId);
        if (workspaceId === undefined) loads?.forEach(dirty);
        else dirty(loads?.get(workspaceId));
        return;
      }
      case 'workspace': {
        const { workspaceId } = change;
        this.users.forEach((entry) => entry.inner === workspaceId && outdate(entry));
        this.userLoads.forEach((loads) => dirty(loads.get(workspaceId)));
        return;
      }
      case 'reset':
        this.users.forEach(outdate);
        this.userLoads.forEach((loads) => loads.forEach(dirty));
        break;
      case 'flags':
        break;
    }
    if (this.flags !== undefined) this.flags.outdated = true;
    this.flagsRetryAt = -Infinity;
    this.flagsTicket.dirty = true;
    void this.loadFlags();
  }

  /** Installs a loaded set; one equal to the served set (same origin, no key changed) keeps it, with its view and its users' decisions. */
  private install(definitions: readonly FlagDefinition[], from: FlagSetOrigin, freshUntil: number): FlagSet {
    const previous = this.flags;
    const changed = previous === undefined ? [] : changedKeys(previous, definitions);
    if (previous !== undefined && previous.from === from && changed.length === 0) {
      previous.freshUntil = freshUntil;
      previous.outdated = false;
      this.options.onFlagsLoaded(previous, previous, changed);
      return previous;
    }
    const byKey = new Map(definitions.map((definition, slot) => [definition.key, { definition, slot }]));
    const view: FlagSetView = Object.freeze({ version: ++this.versions, definitions: Object.freeze([...definitions]), from });
    this.flags = { view, byKey, definitions: view.definitions, slots: definitions.length, from, freshUntil, outdated: false };
    this.options.onFlagsLoaded(this.flags, previous, changed);
    return this.flags;
  }

  /** One source call, bounded by sourceTimeoutMs and abandoned when the client closes. */
  private call<T>(what: string, load: (options: SourceCallOptions) => Promise<T>): Promise<T> {
    return withDeadline(what, this.options.sourceTimeoutMs, (signal) => load({ signal }), this.options.signal);
  }

  /** Counts and reports a failure unless the client closed; returns the time to retry at. */
  private failed(error: unknown, what: 'flags' | 'user'): number {
    const now = this.tick();
    if (error instanceof SourceTimeoutError) this.hungUntil = now + this.options.retryMs;
    if (!this.options.signal.aborted) this.options.onSourceError(error, what);
    return now + this.options.retryMs;
  }

  private async fetchFlags(): Promise<FlagSet | undefined> {
    const { source, flagsTtlMs } = this.options;
    try {
      let list: FlagDefinition[];
      do {
        this.flagsTicket.dirty = false;
        list = await this.call('loadFlags', (options) => source.loadFlags(options));
      } while (this.flagsTicket.dirty);
      const now = this.tick();
      this.flagsError = undefined;
      this.hungUntil = -Infinity;
      this.lastRefreshAt = now;
      this.install(list, 'source', now + flagsTtlMs);
    } catch (error) {
      this.flagsError = error;
      const retryAt = this.failed(error, 'flags');
      if (this.flags !== undefined) {
        // Tried once: from now on the old set is served without waiting, until the retry.
        this.flags.outdated = false;
        this.flags.freshUntil = Math.max(this.flags.freshUntil, retryAt);
      } else this.flagsRetryAt = retryAt;
    }
    return this.flags;
  }

  private async fetchUser(userId: string, workspaceId: string, ticket: Ticket): Promise<UserEntry | undefined> {
    const { source, userStateTtlMs } = this.options;
    try {
      let state: UserState;
      do {
        ticket.dirty = false;
        state = await this.call('loadUserState', (options) => source.loadUserState(userId, workspaceId, options));
      } while (ticket.dirty);
      const entry = new UserEntry(userId, workspaceId, shared(state), this.tick() + userStateTtlMs);
      this.hungUntil = -Infinity;
      this.users.set(entry);
      // After set, so the entry it replaced has given its row back; a cache of size 0 holds no one.
      if (this.users.max > 0) entry.row = this.decisions.claim();
      return entry;
    } catch (error) {
      const retryAt = this.failed(error, 'user');
      const previous = this.users.peek(userId, workspaceId);
      if (previous !== undefined) {
        previous.outdated = false;
        previous.freshUntil = Math.max(previous.freshUntil, retryAt);
      }
      return previous;
    }
  }
}
