import type { FlagChange, FlagSource, Unsubscribe } from '@stagegate/flags-core';
import type { ChangeBus } from './services.js';

/** An in-process fan-out of flag changes. A listener that throws never stops the others. */
export function createChangeBus(): ChangeBus {
  const listeners = new Set<(change: FlagChange) => void>();
  return {
    publish(change) {
      for (const listener of [...listeners]) {
        try {
          listener(change);
        } catch (error) {
          console.error('changes: a listener failed', error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * Feeds the bus from the source's own change stream (LISTEN for the database source): one
 * subscription per process however many clients follow the bus. Returns the unsubscribe.
 */
export function feedBusFrom(source: FlagSource, bus: ChangeBus): Unsubscribe {
  return source.subscribe?.((change) => bus.publish(change)) ?? (() => undefined);
}

/** The same source, but it hears changes from the bus, so local writes invalidate caches at once. */
export function withBusChanges(source: FlagSource, bus: ChangeBus): FlagSource {
  return {
    loadFlags: () => source.loadFlags(),
    loadUserState: (userId, workspaceId) => source.loadUserState(userId, workspaceId),
    subscribe: (onChange) => bus.subscribe(onChange),
  };
}
