import { createParser } from 'eventsource-parser';
import { backoffDelay } from './backoff.js';
import type { FlagChange } from './source.js';
import { parseChange } from './wire.js';

export interface ChangeStreamOptions {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  /** First wait before reconnecting; doubles on each failure up to maxBackoffMs. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** A stream silent this long (headers included) is treated as dead. */
  idleTimeoutMs: number;
  onError: (error: unknown) => void;
}

/**
 * Follows a server-sent-events change stream until stopped, reconnecting with backoff. After a
 * reconnect it says `{ kind: 'reset' }` first, since changes made while disconnected were not heard;
 * an event it cannot read is passed on as a reset too.
 */
export function followChangeStream(options: ChangeStreamOptions, onChange: (change: FlagChange) => void): { stop(): void } {
  const { minBackoffMs, maxBackoffMs, idleTimeoutMs } = options;
  let stopped = false;
  let controller: AbortController | undefined;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** One connection, until it fails or ends; true when it delivered anything. */
  async function connect(isReconnect: boolean): Promise<boolean> {
    const abort = (controller = new AbortController());
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error(`change stream silent for ${idleTimeoutMs} ms`)), idleTimeoutMs);
    };
    let received = false;
    try {
      armIdle();
      const response = await options.fetch(options.url, { headers: options.headers, signal: abort.signal });
      if (!response.ok || !response.body) throw new Error(`change stream answered ${response.status} ${response.statusText}`);
      if (isReconnect) onChange({ kind: 'reset' });
      const parser = createParser({
        onEvent(event) {
          const change = parseChange(event.data);
          if (change === null) options.onError(new Error(`unreadable change event: ${event.data}`));
          // Something changed that this client cannot read: dropping everything is the safe answer.
          onChange(change ?? { kind: 'reset' });
        },
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        received = true;
        armIdle();
        parser.feed(decoder.decode(value, { stream: true }));
      }
      if (!stopped) throw new Error('change stream ended');
    } catch (error) {
      if (!stopped) options.onError(error);
    } finally {
      clearTimeout(idle);
    }
    return received;
  }

  void (async () => {
    let attempt = 0;
    let connectedBefore = false;
    while (!stopped) {
      const received = await connect(connectedBefore);
      connectedBefore = true;
      if (stopped) break;
      // A stream that delivered something was healthy: start the backoff over.
      attempt = received ? 0 : attempt + 1;
      await sleep(backoffDelay(attempt, { initialMs: minBackoffMs, maxMs: maxBackoffMs }));
    }
  })();

  return {
    stop() {
      stopped = true;
      controller?.abort();
      wake?.();
    },
  };
}
