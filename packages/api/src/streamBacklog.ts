/**
 * What a subscription has heard but not yet sent: pushed from a bus listener, pulled by the
 * subscription's generator. A reader that stops reading costs at most `max` entries: past that,
 * the backlog collapses into one `overflow` entry (a reset: refetch everything).
 */
export interface StreamBacklog<T> {
  push(entry: T): void;
  /** Every entry in order, waiting for more, until `signal` aborts. */
  drain(signal: AbortSignal | undefined): AsyncGenerator<T, void, unknown>;
}

export function createStreamBacklog<T>(max: number, overflow: (entry: T) => T): StreamBacklog<T> {
  let entries: T[] = [];
  let wake: (() => void) | undefined;
  return {
    push(entry) {
      if (entries.length >= max) entries = [overflow(entry)];
      else entries.push(entry);
      wake?.();
    },
    async *drain(signal) {
      const onAbort = () => wake?.();
      signal?.addEventListener('abort', onAbort);
      try {
        while (!signal?.aborted) {
          if (entries.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          const batch = entries;
          entries = [];
          yield* batch;
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
