import { Lru, LruEntry } from './lru.js';
import type { FlagDefinition, UserState } from './schema.js';
import type { FlagChange, FlagSource } from './source.js';

export interface FlagCacheOptions {
  source: FlagSource;
  flagsTtlMs: number;
  userStateTtlMs: number;
  maxUsers: number;
  /** After a failed load, how long what is known is served before the source is asked again. */
  retryMs: number;
  clock: () => number;
  onSourceError: (error: unknown) => void;
}

export interface CompiledFlag {
  readonly definition: FlagDefinition;
  /** This flag's position in its flag set: the index of its decision in a user entry. */
  readonly slot: number;
}

export interface FlagSet {
  readonly byKey: ReadonlyMap<string, CompiledFlag>;
  /** How many slots its flags use. */
  readonly slots: number;
  freshUntil: number;
}

/** One user's state in one workspace. */
export class UserEntry extends LruEntry {
  /** Decisions already made for this state, by flag slot (see decisions.ts); valid for `decidedFor` only. */
  decisions: Uint8Array | undefined = undefined;
  decidedFor: FlagSet | undefined = undefined;
  constructor(
    userId: string,
    workspaceId: string,
    readonly state: UserState,
    public freshUntil: number,
  ) {
    super(userId, workspaceId);
  }
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
 * callers share the load). A change event marks entries stale rather than dropping them, so a
 * source that fails right after still leaves the last known state to serve.
 */
export class FlagCache {
  flags: FlagSet | undefined;
  lastRefreshAt: number | null = null;
  readonly users: Lru<UserEntry>;

  private flagsLoad: Promise<FlagSet | undefined> | undefined;
  private readonly flagsTicket: Ticket = { dirty: false };
  /** With no flag set known, failures are not retried before this time (no hammering a down source). */
  private flagsRetryAt = -Infinity;
  private readonly userLoads = new Map<string, Map<string, UserLoad>>();

  constructor(private readonly options: FlagCacheOptions) {
    this.users = new Lru(options.maxUsers);
  }

  /** The flag set if it may be served without asking the source. */
  freshFlags(now: number): FlagSet | undefined {
    const flags = this.flags;
    return flags !== undefined && now < flags.freshUntil ? flags : undefined;
  }

  /** True while nothing is known and the last load failed too recently to ask again. */
  backingOff(now: number): boolean {
    return this.flags === undefined && now < this.flagsRetryAt;
  }

  freshUser(userId: string, workspaceId: string, now: number): UserEntry | undefined {
    const entry = this.users.get(userId, workspaceId);
    return entry !== undefined && now < entry.freshUntil ? entry : undefined;
  }

  /** Resolves to the flag set after the load, or the last known one if it failed (undefined if none). */
  loadFlags(): Promise<FlagSet | undefined> {
    this.flagsLoad ??= this.fetchFlags().finally(() => {
      this.flagsLoad = undefined;
      // A change that landed after the last fetch returned but before this ran still needs a load.
      if (this.flagsTicket.dirty) void this.loadFlags();
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
    const stale = (entry: UserEntry) => {
      entry.freshUntil = -Infinity;
    };
    if (change.kind === 'user') {
      const { userId, workspaceId } = change;
      if (workspaceId === undefined) this.users.forEach(stale, userId);
      else {
        const entry = this.users.peek(userId, workspaceId);
        if (entry !== undefined) stale(entry);
      }
      this.userLoads.get(userId)?.forEach((load, loadWorkspaceId) => {
        if (workspaceId === undefined || workspaceId === loadWorkspaceId) load.ticket.dirty = true;
      });
      return;
    }
    if (change.kind === 'reset') {
      this.users.forEach(stale);
      this.userLoads.forEach((loads) => loads.forEach((load) => (load.ticket.dirty = true)));
    }
    // Stale first, so evaluations wait for the reload instead of answering from the old set.
    if (this.flags !== undefined) this.flags.freshUntil = -Infinity;
    this.flagsRetryAt = -Infinity;
    this.flagsTicket.dirty = true;
    void this.loadFlags();
  }

  private async fetchFlags(): Promise<FlagSet | undefined> {
    const { source, clock, flagsTtlMs, retryMs } = this.options;
    try {
      let list: FlagDefinition[];
      do {
        this.flagsTicket.dirty = false;
        list = await source.loadFlags();
      } while (this.flagsTicket.dirty);
      const now = clock();
      const byKey = new Map(list.map((definition, slot) => [definition.key, { definition, slot }]));
      this.flags = { byKey, slots: list.length, freshUntil: now + flagsTtlMs };
      this.lastRefreshAt = now;
    } catch (error) {
      this.options.onSourceError(error);
      const retryAt = clock() + retryMs;
      if (this.flags !== undefined) this.flags.freshUntil = Math.max(this.flags.freshUntil, retryAt);
      else this.flagsRetryAt = retryAt;
    }
    return this.flags;
  }

  private async fetchUser(userId: string, workspaceId: string, ticket: Ticket): Promise<UserEntry | undefined> {
    const { source, clock, userStateTtlMs, retryMs } = this.options;
    try {
      let state: UserState;
      do {
        ticket.dirty = false;
        state = await source.loadUserState(userId, workspaceId);
      } while (ticket.dirty);
      const entry = new UserEntry(userId, workspaceId, state, clock() + userStateTtlMs);
      this.users.set(entry);
      return entry;
    } catch (error) {
      this.options.onSourceError(error);
      const previous = this.users.peek(userId, workspaceId);
      if (previous !== undefined) previous.freshUntil = Math.max(previous.freshUntil, clock() + retryMs);
      return previous;
    }
  }
}
