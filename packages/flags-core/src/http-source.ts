import { followChangeStream } from './change-stream.js';
import { withDeadline } from './deadline.js';
import { UserState, type FlagDefinition } from './schema.js';
import type { FlagChange, FlagSource, SourceCallOptions, Unsubscribe } from './source.js';
import type { MetricsReport } from './metrics-wire.js';
import { readSnapshot, type InvalidFlagError } from './wire.js';

export interface HttpSourceOptions {
  /** Where the Stagegate API serves, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** A token of kind `service` (or an admin's). */
  token: string;
  /** Defaults to the global fetch (Node ≥ 18, browsers, workers). */
  fetch?: typeof fetch;
  /** A snapshot, state or metrics request with no complete answer after this long fails (default 5 s). */
  requestTimeoutMs?: number;
  /** First wait before reconnecting the change stream (default 500 ms); doubles on each failure up to maxBackoffMs (30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A stream silent this long is treated as dead (default 45 s; the server sends a keep-alive comment every 15 s). */
  idleTimeoutMs?: number;
  /**
   * Told about stream failures (the source reconnects by itself), unreadable change events, and
   * flags skipped as invalid (an InvalidFlagError, once per key and version).
   */
  onError?: (error: unknown) => void;
}

export interface HttpSource extends FlagSource {
  subscribe(onChange: (change: FlagChange) => void): Unsubscribe;
  invalidFlags(): number;
  reportMetrics(report: MetricsReport, options?: SourceCallOptions): Promise<void>;
}

/**
 * A FlagSource that reads the Stagegate API over HTTP: the flag set from `/api/flags/snapshot`
 * (revalidated with its ETag), one user's state from `/api/flags/state`, and changes from the
 * `/api/flags/stream` server-sent events; telemetry goes to `POST /api/flags/metrics`. Uses only fetch, so it runs wherever fetch does. A flag
 * that fails the schema is left out of the set rather than failing the whole snapshot.
 */
export function createHttpSource(options: HttpSourceOptions): HttpSource {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  const authorization = `Bearer ${options.token}`;
  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      /* a broken error hook must not break loading */
    }
  };
  let last: { etag: string; flags: FlagDefinition[] } | undefined;
  let invalidCount = 0;
  // A server without the metrics endpoint (404) collects nothing: stop sending rather than fail every interval.
  let metricsCollected = true;
  /** `key@version` of invalid flags already reported, so a bad row is logged once, not on every load. */
  const reported = new Set<string>();

  const reportInvalid = (invalid: InvalidFlagError[]) => {
    invalidCount = invalid.length;
    for (const error of invalid) {
      const id = `${error.key ?? ''}@${error.version ?? ''}`;
      if (reported.has(id)) continue;
      reported.add(id);
      report(error);
    }
  };

  /** GETs `path` and reads its JSON body within one deadline; undefined on 304. */
  function getJson(path: string, headers: Record<string, string>, call: SourceCallOptions | undefined): Promise<{ body: unknown; etag: string | null } | undefined> {
    return withDeadline(
      `GET ${path}`,
      requestTimeoutMs,
      async (signal) => {
        const response = await doFetch(`${baseUrl}${path}`, { headers: { authorization, accept: 'application/json', ...headers }, signal });
        if (response.status === 304) return undefined;
        if (!response.ok) {
          await response.body?.cancel();
          throw new Error(`GET ${path} answered ${response.status} ${response.statusText}`);
        }
        return { body: (await response.json()) as unknown, etag: response.headers.get('etag') };
      },
      call?.signal,
    );
  }

  return {
    async loadFlags(call) {
      const previous = last;
      const answer = await getJson('/api/flags/snapshot', previous ? { 'if-none-match': previous.etag } : {}, call);
      if (answer === undefined) {
        if (previous) return previous.flags;
        throw new Error('GET /api/flags/snapshot answered 304 to a request without an ETag');
      }
      const { snapshot, invalid } = readSnapshot(answer.body);
      reportInvalid(invalid);
      const etag = answer.etag ?? snapshot.etag;
      last = etag ? { etag, flags: snapshot.flags } : undefined;
      return snapshot.flags;
    },

    async loadUserState(userId, workspaceId, call) {
      const answer = await getJson(`/api/flags/state?${new URLSearchParams({ userId, workspaceId })}`, {}, call);
      return UserState.parse(answer?.body);
    },

    invalidFlags: () => invalidCount,

    // One attempt per call: the client keeps what was not delivered for its next interval.
    reportMetrics(report, call) {
      if (!metricsCollected) return Promise.resolve();
      return withDeadline(
        'POST /api/flags/metrics',
        requestTimeoutMs,
        async (signal) => {
          const response = await doFetch(`${baseUrl}/api/flags/metrics`, {
            method: 'POST',
            headers: { authorization, 'content-type': 'application/json' },
            body: JSON.stringify(report),
            signal,
          });
          await response.body?.cancel();
          if (response.status === 404) return void (metricsCollected = false);
          if (!response.ok) throw new Error(`POST /api/flags/metrics answered ${response.status} ${response.statusText}`);
        },
        call?.signal,
      );
    },

    subscribe(onChange) {
      const stream = followChangeStream(
        {
          url: `${baseUrl}/api/flags/stream`,
          headers: { authorization, accept: 'text/event-stream' },
          fetch: doFetch,
          minBackoffMs: options.minBackoffMs ?? 500,
          maxBackoffMs: options.maxBackoffMs ?? 30_000,
          idleTimeoutMs: options.idleTimeoutMs ?? 45_000,
          onError: report,
        },
        onChange,
      );
      return () => stream.stop();
    },
  };
}
