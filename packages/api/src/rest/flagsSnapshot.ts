import { createHash } from 'node:crypto';
import type { FlagChange, FlagDefinition } from '@stagegate/flags-core';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Auth } from '../context.js';
import { domainError } from '../errors.js';
import type { Services } from '../services.js';
import { parse, requireAuth, sendError } from './respond.js';

/** Comment lines that keep proxies and the client's idle timer from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;
/** A stream reader this far behind is dropped; it reconnects and starts over with a reset. */
const MAX_STREAM_BACKLOG_BYTES = 1_000_000;

const StateQuery = z.object({ userId: z.string().min(1).max(200), workspaceId: z.string().min(1).max(200) }).strict();

/** Service tokens, and admins of a workspace (for their own workspace's users). */
async function authorize(services: Services, req: Request, res: Response): Promise<Auth | undefined> {
  const auth = await requireAuth(services, req, res);
  if (auth?.kind === 'user' && auth.role !== 'admin') return void sendError(res, domainError('FORBIDDEN', 'Only service tokens and admins read flag snapshots'));
  return auth;
}

interface Snapshot {
  flags: readonly FlagDefinition[];
  body: string;
  etag: string;
}

/** The serialized flag set, rebuilt only when the FlagClient hands out different definitions. */
function snapshotCache() {
  let last: Snapshot | undefined;
  const same = (a: readonly FlagDefinition[], b: readonly FlagDefinition[]) => a.length === b.length && a.every((flag, i) => flag === b[i]);
  return (flags: FlagDefinition[]): Snapshot => {
    if (last && same(last.flags, flags)) return last;
    const json = JSON.stringify(flags);
    const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
    last = { flags, etag, body: `{"flags":${json},"etag":${JSON.stringify(etag)}}` };
    return last;
  };
}

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}` || tag.trim() === '*');

/**
 * What backend services evaluate from (`@stagegate/flags-core/http`): the flag set, one user's state,
 * and the change stream. The snapshot is served from this process's FlagClient cache, so a warm
 * request makes no database query.
 */
export function flagsSnapshotRoutes(services: Services): express.Router {
  const routes = express.Router();
  const snapshot = snapshotCache();

  routes.get('/api/flags/snapshot', async (req, res) => {
    if (!(await authorize(services, req, res))) return;
    const flags = await services.flags.flags();
    // Before the first successful load, an empty list would read as "no flags exist".
    if (services.flags.stats().lastRefreshAt === null) {
      return void sendError(res, domainError('BUSY', 'Flag definitions are not loaded yet: retry in a moment'));
    }
    const current = snapshot(flags);
    res.set({ etag: current.etag, 'cache-control': 'no-cache' });
    if (matches(req.get('if-none-match'), current.etag)) return void res.status(304).end();
    res.type('application/json').send(current.body);
  });

  routes.get('/api/flags/state', async (req, res) => {
    const auth = await authorize(services, req, res);
    if (!auth) return;
    try {
      const query = parse(StateQuery, req.query);
      if (auth.kind === 'user' && query.workspaceId !== auth.workspaceId) {
        throw domainError('FORBIDDEN', "Admins read the states of their own workspace's users only");
      }
      res.set('cache-control', 'no-store').json(await services.flagSource.loadUserState(query.userId, query.workspaceId));
    } catch (error) {
      sendError(res, error);
    }
  });

  routes.get('/api/flags/stream', async (req, res) => {
    if (!(await authorize(services, req, res))) return;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
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
  });

  return routes;
}
