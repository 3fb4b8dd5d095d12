import { createHash } from 'node:crypto';
import { DomainError, UserStateQuery, type Services } from '@stagegate/api';
import type { FlagChange, FlagSetView } from '@stagegate/flags-core';
import { parse } from './parse.js';
import type { HotRestRoute, RestRoute } from './routes.js';

/** Comment lines that keep proxies and the client's idle timer from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;
/** A stream reader this far behind is dropped; it reconnects and starts over with a reset. */
const MAX_STREAM_BACKLOG_BYTES = 1_000_000;

export interface Snapshot {
  /** Bytes, so a 200 does not encode the text again. */
  body: Buffer;
  etag: string;
}

/** The serialised body and ETag per flag set, built once when a set is first served and dropped with it. */
const snapshots = new WeakMap<FlagSetView, Snapshot>();

export function snapshotOf(set: FlagSetView): Snapshot {
  let snapshot = snapshots.get(set);
  if (snapshot === undefined) {
    const json = JSON.stringify(set.definitions);
    const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
    snapshot = { etag, body: Buffer.from(`{"flags":${json},"etag":${JSON.stringify(etag)}}`) };
    snapshots.set(set, snapshot);
  }
  return snapshot;
}

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined &&
  (ifNoneMatch === etag || ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}` || tag.trim() === '*'));

/**
 * What backend SDKs evaluate from (`@stagegate/flags-core/http`), for service tokens and operators:
 * the flag set, one user's state, and the change stream. The snapshot is served from this process's
 * FlagClient cache, so a warm request makes no database query.
 */
export function flagsSnapshotRoutes(services: Services): readonly RestRoute[] {
  return [
    {
      method: 'get',
      path: '/api/flags/snapshot',
      access: 'sdk',
      hot: true,
      async handle(req, res) {
        const set = await services.flags.flagSet();
        // Before the source first answered, an empty list (or a bootstrap's) would read as the flags that exist.
        if (set?.from !== 'source') throw new DomainError('BUSY', 'Flag definitions are not loaded yet: retry in a moment', { retryAfterSeconds: 1 });
        const current = snapshotOf(set);
        // Node's own header calls: Express's res.set and res.send would redo the charset and freshness work done here.
        res.setHeader('etag', current.etag);
        res.setHeader('cache-control', 'no-cache');
        if (matches(req.headers['if-none-match'], current.etag)) {
          res.statusCode = 304;
          return void res.end();
        }
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(current.body);
      },
    } satisfies HotRestRoute,
    {
      method: 'get',
      path: '/api/flags/state',
      access: 'sdk',
      async handle(req, res) {
        const query = parse(UserStateQuery, req.query);
        res.set('cache-control', 'no-store');
        return services.flagSource.loadUserState(query.userId, query.workspaceId);
      },
    },
    {
      method: 'get',
      path: '/api/flags/stream',
      access: 'sdk',
      async handle(_req, res) {
        // setHeader, not writeHead's argument: what was sent stays readable (the metrics tell a stream by its content type).
        res.setHeader('content-type', 'text/event-stream; charset=utf-8');
        res.setHeader('cache-control', 'no-cache, no-transform');
        res.setHeader('connection', 'keep-alive');
        // Tells nginx-style proxies not to buffer the stream.
        res.setHeader('x-accel-buffering', 'no');
        res.flushHeaders();
        res.write(': connected\n\n');

        const send = (change: FlagChange) => {
          if (res.writableLength > MAX_STREAM_BACKLOG_BYTES) return void res.end();
          res.write(`data: ${JSON.stringify(change)}\n\n`);
        };
        const unsubscribe = services.changes.subscribe(send);
        const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
        keepAlive.unref();
        res.on('close', () => {
          clearInterval(keepAlive);
          unsubscribe();
        });
      },
    },
  ];
}
