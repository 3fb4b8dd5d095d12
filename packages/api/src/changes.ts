import type { FlagChange, FlagSource, Unsubscribe } from '@stagegate/flags-core';
import type { Logger } from './logger.js';
import type { ChangeBus } from './services.js';

type Listener = (change: FlagChange) => void;

/**
 * An in-process fan-out of flag changes. A listener that throws never stops the others.
 * One change → one event on streams: they hear only the database's notification; this process's
 * own writes reach its caches at once as well (read-your-writes), and the echo only reloads them again.
 */
export function createChangeBus(logger: Logger): ChangeBus {
  const streams = new Set<Listener>();
  const caches = new Set<Listener>();
  const deliver = (listeners: Set<Listener>, change: FlagChange) => {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        logger.error({ err: error, change }, 'changes: a listener failed');
      }
    }
  };
  const add = (listeners: Set<Listener>, listener: Listener) => {
    // A function of its own per call, so subscribing the same callback twice needs two unsubscribes.
    const entry: Listener = (change) => listener(change);
    listeners.add(entry);
    return () => void listeners.delete(entry);
  };
  return {
    publish: (change) => deliver(caches, change),
    announce(change) {
      deliver(caches, change);
      deliver(streams, change);
    },
    subscribe: (listener) => add(streams, listener),
    subscribeCaches: (listener) => add(caches, listener),
  };
}

/**
 * Feeds the bus from the source's own change stream (LISTEN for the database source): one
 * subscription per process however many clients follow the bus. Returns the unsubscribe.
 */
export function feedBusFrom(source: FlagSource, bus: ChangeBus): Unsubscribe {
  return source.subscribe?.((change) => bus.announce(change)) ?? (() => undefined);
}

/** The same source, but it hears changes from the bus, so local writes invalidate caches at once. */
export function withBusChanges(source: FlagSource, bus: ChangeBus): FlagSource {
  return {
    loadFlags: (options) => source.loadFlags(options),
    loadUserState: (userId, workspaceId, options) => source.loadUserState(userId, workspaceId, options),
    subscribe: (onChange) => bus.subscribeCaches(onChange),
  };
}
