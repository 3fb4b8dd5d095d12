/**
 * A real FlagSource for client tests: a memory source that counts its loads, can fail, and can hold
 * loads on a gate. Test-only; not exported from the package.
 */
import type { FlagDefinition, UserState } from './schema.js';
import { createMemorySource, type FlagChange, type FlagSource, type MemorySource } from './source.js';
import { TEST_NOW } from './testing.js';

export interface TestSource extends FlagSource {
  readonly memory: MemorySource;
  readonly calls: { loadFlags: number; loadUserState: number; users: string[] };
  /** While set, every load rejects with this error. */
  failWith: Error | undefined;
  /** While true, every load started never answers (as a hung server), though its signal is recorded. */
  hang: boolean;
  /** While true, changes written to `memory` are not announced (as a write whose notification is lost). */
  quiet: boolean;
  /** The AbortSignal each load was given, in order. */
  readonly signals: Array<AbortSignal | undefined>;
  /** Holds every load started from now on (after it read its data) until the returned release runs. */
  hold(): () => void;
  /** Tells subscribed clients about a change, as a database notification would. */
  emit(change: FlagChange): void;
}

/** `subscribe: false` gives a source without change events, so only TTLs refresh the client. */
export function createTestSource(
  flags: FlagDefinition[],
  users: Record<string, Record<string, UserState>> = {},
  { subscribe = true } = {},
): TestSource {
  const memory = createMemorySource(flags, users);
  const listeners = new Set<(change: FlagChange) => void>();
  let gate: Promise<void> | undefined;

  // Reads first, then waits: like a query whose snapshot predates anything that happens meanwhile.
  async function afterGate<T>(read: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    source.signals.push(signal);
    if (source.hang) return new Promise<T>(() => undefined);
    const value = await read;
    await gate;
    if (source.failWith) throw source.failWith;
    return value;
  }

  const source: TestSource = {
    memory,
    calls: { loadFlags: 0, loadUserState: 0, users: [] },
    failWith: undefined,
    hang: false,
    quiet: false,
    signals: [],
    loadFlags(options) {
      source.calls.loadFlags++;
      return afterGate(memory.loadFlags(), options?.signal);
    },
    loadUserState(userId, workspaceId, options) {
      source.calls.loadUserState++;
      source.calls.users.push(`${userId}@${workspaceId}`);
      return afterGate(memory.loadUserState(userId, workspaceId), options?.signal);
    },
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    emit: (change) => listeners.forEach((listener) => listener(change)),
  };
  if (subscribe) {
    source.subscribe = (onChange) => {
      listeners.add(onChange);
      const unsubscribeMemory = memory.subscribe?.((change) => source.quiet || onChange(change));
      return () => {
        listeners.delete(onChange);
        void unsubscribeMemory?.();
      };
    };
  }
  return source;
}

/** The value of a promise that settles without any timer running; throws if it is still pending (it waits on something). */
export async function settled<T>(promise: Promise<T>): Promise<T> {
  let outcome: { value: T } | undefined;
  void promise.then((value) => (outcome = { value }));
  for (let i = 0; i < 50 && outcome === undefined; i++) await Promise.resolve();
  if (outcome === undefined) throw new Error('still pending: it waits on something');
  return outcome.value;
}

/** A clock the test moves by hand. */
export function createTestClock(start = TEST_NOW.getTime()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
