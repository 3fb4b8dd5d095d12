import { EMPTY_USER_STATE, FlagDefinition, UserState } from './schema.js';
import type { MetricsReport } from './metrics-wire.js';
import type { FlagChange, FlagDefinitionInput, UserStateInput } from './wire.js';

/** What changed, so a client drops only the cache entries that went stale. */
export type { FlagChange };

export type Unsubscribe = () => void | Promise<void>;

/** What a client passes to every load. */
export interface SourceCallOptions {
  /** Aborted when the client gave up on the call (its `sourceTimeoutMs` passed, or it closed). */
  signal?: AbortSignal;
}

/** Where a FlagClient loads flags and user states from: memory, the database, or the HTTP API. */
export interface FlagSource {
  loadFlags(options?: SourceCallOptions): Promise<FlagDefinition[]>;
  loadUserState(userId: string, workspaceId: string, options?: SourceCallOptions): Promise<UserState>;
  subscribe?(onChange: (change: FlagChange) => void): Unsubscribe;
  /** How many flags the last loaded set left out because they failed the schema (shown in the client's stats). */
  invalidFlags?(): number;
  /** Sends a telemetry report (see metrics-wire.ts); a client without it reports nothing. Rejects when it was not delivered. */
  reportMetrics?(report: MetricsReport, options?: SourceCallOptions): Promise<void>;
}

export interface MemorySource extends FlagSource {
  setFlag(flag: FlagDefinitionInput): void;
  removeFlag(key: string): void;
  setUserState(userId: string, workspaceId: string, state: UserStateInput): void;
}

const userKey = (userId: string, workspaceId: string) => `${userId}\u0000${workspaceId}`;

/**
 * An in-memory source for tests and for bootstrapping a client from a snapshot. It takes the wire's
 * JSON (ISO strings for dates) as well as parsed values: everything goes through the schemas, so an
 * invalid flag or state throws here, where it is written, not later in an evaluation.
 */
export function createMemorySource(
  flags: readonly FlagDefinitionInput[] = [],
  users: Record<string, Record<string, UserStateInput>> = {},
): MemorySource {
  const flagMap = new Map<string, FlagDefinition>();
  for (const input of flags) {
    const flag = FlagDefinition.parse(input);
    flagMap.set(flag.key, flag);
  }
  const states = new Map<string, UserState>();
  for (const [userId, byWorkspace] of Object.entries(users)) {
    for (const [workspaceId, state] of Object.entries(byWorkspace)) states.set(userKey(userId, workspaceId), UserState.parse(state));
  }
  const listeners = new Set<(change: FlagChange) => void>();
  const emit = (change: FlagChange) => listeners.forEach((listener) => listener(change));

  return {
    loadFlags: async () => [...flagMap.values()],
    loadUserState: async (userId, workspaceId) => states.get(userKey(userId, workspaceId)) ?? EMPTY_USER_STATE,
    subscribe(onChange) {
      listeners.add(onChange);
      return () => void listeners.delete(onChange);
    },
    setFlag(input) {
      const flag = FlagDefinition.parse(input);
      flagMap.set(flag.key, flag);
      emit({ kind: 'flags' });
    },
    removeFlag(key) {
      flagMap.delete(key);
      emit({ kind: 'flags' });
    },
    setUserState(userId, workspaceId, state) {
      states.set(userKey(userId, workspaceId), UserState.parse(state));
      emit({ kind: 'user', userId, workspaceId });
    },
  };
}
