import { FlagDefinition, UserState } from './schema.js';
import type { FlagChange, FlagSource } from './source.js';

export interface HttpSourceOptions {
  /** Where the Stagegate API serves, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** A token of kind `service` (or an admin's). */
  token: string;
  /** Defaults to the global fetch (Node ≥ 18, browsers, workers). */
  fetch?: typeof fetch;
  /** First wait before reconnecting the change stream; doubles on each failure up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A stream silent this long is treated as dead (the server sends a keep-alive comment every 15 s). */
  idleTimeoutMs?: number;
  /** Told about stream failures; the source reconnects by itself. */
  onError?: (error: unknown) => void;
}

const FLAG_CHANGE_KINDS = new Set(['flags', 'user', 'reset']);

/**
 * A FlagSource that reads the Stagegate API over HTTP: the flag set from `/api/flags/snapshot`
 * (revalidated with its ETag), one user's state from `/api/flags/state`, and changes from the
 * `/api/flags/stream` server-sent events. Uses only fetch, so it runs wherever fetch does.
 */
export function createHttpSource(options: HttpSourceOptions): FlagSource {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const authorization = `Bearer ${options.token}`;
  let last: { etag: string; flags: FlagDefinition[] } | undefined;

  async function get(path: string, headers: Record<string, string> = {}) {
    const response = await doFetch(`${baseUrl}${path}`, { headers: { authorization, accept: 'application/json', ...headers } });
    if (!response.ok && response.status !== 304) {
      await response.body?.cancel();
      throw new Error(`GET ${path} answered ${response.status} ${response.statusText}`);
    }
    return response;
  }

  return {
    async loadFlags() {
      const response = await get('/api/flags/snapshot', last ? { 'if-none-match': last.etag } : {});
      if (response.status === 304 && last) return last.flags;
      const body = (await response.json()) as { flags?: unknown; etag?: unknown };
      const flags = FlagDefinition.array().parse(body.flags);
      const etag = response.headers.get('etag') ?? (typeof body.etag === 'string' ? body.etag : undefined);
      last = etag ? { etag, flags } : undefined;
      return flags;
    },

    async loadUserState(userId, workspaceId) {
      const query = new URLSearchParams({ userId, workspaceId });
      const response = await get(`/api/flags/state?${query}`);
      return UserState.parse(await response.json());
    },

    subscribe(onChange) {
      const stream = followStream(`${baseUrl}/api/flags/stream`, authorization, doFetch, options, onChange);
      return () => stream.stop();
    },
  };
}

/** Follows the SSE change stream until stopped, reconnecting with exponential backoff and jitter. */
function followStream(
  url: string,
  authorization: string,
  doFetch: typeof fetch,
  options: HttpSourceOptions,
  onChange: (change: FlagChange) => void,
) {
  const minBackoffMs = options.minBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
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

  async function connect(isReconnect: boolean): Promise<boolean> {
    controller = new AbortController();
    const abort = controller;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error(`change stream silent for ${idleTimeoutMs} ms`)), idleTimeoutMs);
    };
    let received = false;
    try {
      armIdle();
      const response = await doFetch(url, { headers: { authorization, accept: 'text/event-stream' }, signal: abort.signal });
      if (!response.ok || !response.body) throw new Error(`change stream answered ${response.status} ${response.statusText}`);
      // Whatever happened while disconnected is unknown: the client must drop its caches.
      if (isReconnect) onChange({ kind: 'reset' });
      const parser = createSseParser((data) => {
        const change = parseChange(data);
        if (change) onChange(change);
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        received = true;
        armIdle();
        parser(decoder.decode(value, { stream: true }));
      }
      if (!stopped) throw new Error('change stream ended');
    } catch (error) {
      if (!stopped) options.onError?.(error);
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
      const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** attempt);
      await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
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

function parseChange(data: string): FlagChange | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (!value || typeof value !== 'object' || !('kind' in value) || typeof value.kind !== 'string' || !FLAG_CHANGE_KINDS.has(value.kind)) {
      return undefined;
    }
    if (value.kind === 'user' && !('userId' in value && typeof value.userId === 'string')) return undefined;
    return value as FlagChange;
  } catch {
    // Not JSON: not an event this source understands.
  }
  return undefined;
}

/** The `data` part of the server-sent events wire format; comments and other fields are skipped. */
export function createSseParser(onData: (data: string) => void): (chunk: string) => void {
  let buffer = '';
  let data: string[] = [];
  return (chunk) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
      // A trailing \r may be the first half of a \r\n split across chunks.
      if (newline === buffer.length - 1 && buffer[newline] === '\r') break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) onData(data.join('\n'));
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
  };
}
