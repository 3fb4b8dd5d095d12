import { EMPTY_USER_STATE, type FlagDefinition, type UserState } from './schema.js';

/** What changed, so a client drops only the cache entries that went stale. */
export type FlagChange =
  | { kind: 'flags' }
  | { kind: 'user'; userId: string; workspaceId?: string }
  /** A workspace's policy changed: every member's state in that workspace is stale. */
  | { kind: 'workspace'; workspaceId: string }
  /** The change stream may have missed events (e.g. it reconnected): drop everything. */
  | { kind: 'reset' };

export type Unsubscribe = () => void | Promise<void>;

/** Where a FlagClient loads flags and user states from: memory, the database, or the HTTP API. */
export interface FlagSource {
  loadFlags(): Promise<FlagDefinition[]>;
  loadUserState(userId: string, workspaceId: string): Promise<UserState>;
  subscribe?(onChange: (change: FlagChange) => void): Unsubscribe;
}

export interface MemorySource extends FlagSource {
  setFlag(flag: FlagDefinition): void;
  removeFlag(key: string): void;
  setUserState(userId: string, workspaceId: string, state: UserState): void;
}

const userKey = (userId: string, workspaceId: string) => `${userId}\u0000${workspaceId}`;

/** An in-memory source for tests and for bootstrapping a client from a snapshot. */
export function createMemorySource(flags: readonly FlagDefinition[] = [], users: Record<string, Record<string, UserState>> = {}): MemorySource {
  const flagMap = new Map(flags.map((flag) => [flag.key, flag]));
  const states = new Map<string, UserState>();
  for (const [userId, byWorkspace] of Object.entries(users)) {
    for (const [workspaceId, state] of Object.entries(byWorkspace)) states.set(userKey(userId, workspaceId), state);
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
    setFlag(flag) {
      flagMap.set(flag.key, flag);
      emit({ kind: 'flags' });
    },
    removeFlag(key) {
      flagMap.delete(key);
      emit({ kind: 'flags' });
    },
    setUserState(userId, workspaceId, state) {
      states.set(userKey(userId, workspaceId), state);
      emit({ kind: 'user', userId, workspaceId });
    },
  };
}
