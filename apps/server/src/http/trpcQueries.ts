import type { IncomingMessage, ServerResponse } from 'node:http';
import { appRouter, routerProcedures, type Context } from '@stagegate/api';
import { callTRPCProcedure } from '@trpc/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** One query of a GET, with its raw input as tRPC would hand it to the procedure. */
interface QueryCall {
  path: string;
  input: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The queries a GET to /trpc asks for, read as tRPC reads them (`batch=1`: comma-separated paths and
 * an object of inputs by index; else one path and its input), or null for anything else: a mutation
 * or subscription, an unknown path, a batch over the limit, a streaming (`trpc-accept`, jsonl) or
 * non-JSON request, connection params, an input that is not JSON. tRPC's own adapter answers all of those.
 */
function queryCalls(req: IncomingMessage, maxBatchSize: number): { calls: QueryCall[]; batch: boolean } | null {
  if (req.method !== 'GET' || req.headers['trpc-accept'] !== undefined) return null;
  // tRPC reads a GET with no content type or a JSON one alike (its JSON handler); any other picks another handler.
  const type = req.headers['content-type'];
  if (type !== undefined && !type.startsWith('application/json')) return null;
  if (req.headers.accept?.includes('application/jsonl')) return null;
  const url = req.url ?? '';
  const at = url.indexOf('?');
  const search = new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
  const pathname = at === -1 ? url : url.slice(0, at);
  if (search.has('connectionParams')) return null;
  const batch = search.get('batch') === '1';
  let paths: string[];
  try {
    const path = decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1));
    paths = batch ? path.split(',') : [path];
  } catch {
    return null;
  }
  if (paths.length > maxBatchSize || !paths.every((path) => Object.hasOwn(routerProcedures, path) && routerProcedures[path]!._def.type === 'query')) return null;
  let inputs: unknown;
  try {
    const raw = search.get('input');
    inputs = raw ? JSON.parse(raw) : undefined;
  } catch {
    return null;
  }
  if (!batch) return { calls: [{ path: paths[0]!, input: inputs }], batch };
  if (inputs !== undefined && !isObject(inputs)) return null;
  return { calls: paths.map((path, index) => ({ path, input: inputs?.[index] })), batch };
}

/** tRPC's success envelope as bytes; `undefined` data leaves `data` out, as JSON.stringify does. */
function envelopeOf(data: unknown): Buffer {
  const json = JSON.stringify(data);
  return Buffer.from(json === undefined ? '{"result":{}}' : `{"result":{"data":${json}}}`);
}

/** A frozen answer is one the domain hands out again unchanged (a warm beta list): its bytes are made once. */
const envelopes = new WeakMap<object, Buffer>();

function envelope(data: unknown): Buffer {
  if (typeof data !== 'object' || data === null || !Object.isFrozen(data)) return envelopeOf(data);
  let bytes = envelopes.get(data);
  if (bytes === undefined) {
    bytes = envelopeOf(data);
    envelopes.set(data, bytes);
  }
  return bytes;
}

const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((text) => Buffer.from(text)) as [Buffer, Buffer, Buffer];
const batchOf = (bodies: Buffer[]) => Buffer.concat([OPEN, ...bodies.flatMap((body, i) => (i === 0 ? [body] : [COMMA, body])), CLOSE]);

/** Answers a request's queries (true), or leaves the request untouched for tRPC's adapter (false). */
export type QueryAnswerer = (req: IncomingMessage, res: ServerResponse, context: () => Promise<Context>) => Promise<boolean>;

/**
 * Successful queries over GET without tRPC's fetch adapter, which turns every request into a fetch
 * Request and Response with web streams and abort signals (~70 % of a warm cached read's CPU): the
 * same procedures through `callTRPCProcedure`, the same context, tRPC's JSON envelope, and a frozen
 * answer serialised once. Anything else, errors included, goes on to tRPC's adapter, which answers
 * exactly as before: a failed query is run again there (queries change nothing; the other queries of
 * a batch with a failed one count their evaluations twice) with the same context (the caller keeps
 * it with the request), so the caller is authenticated once. A request is tried once, whether by
 * the hot reads ahead of Express or by the Express middleware below. A test holds its answers byte
 * for byte to tRPC's.
 */
export function queryAnswerer(maxBatchSize: number): QueryAnswerer {
  const tried = new WeakSet<IncomingMessage>();
  return async (req, res, context) => {
    if (tried.has(req)) return false;
    tried.add(req);
    const query = queryCalls(req, maxBatchSize);
    if (query === null) return false;
    let bodies: Buffer[];
    try {
      const ctx = await context();
      bodies = await Promise.all(
        query.calls.map(async ({ path, input }, batchIndex) =>
          envelope(await callTRPCProcedure({ router: appRouter, path, getRawInput: async () => input, ctx, type: 'query', signal: undefined, batchIndex })),
        ),
      );
    } catch {
      return false;
    }
    // setHeader, not Express's res.set: that would add a charset tRPC does not send.
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.setHeader('vary', 'trpc-accept, accept');
    res.end(query.batch ? batchOf(bodies) : bodies[0]);
    return true;
  };
}

/** The query answerer as Express middleware under /trpc, for what the hot reads handed on untried. */
export function trpcQueries(answer: QueryAnswerer, context: (req: Request) => Promise<Context>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => void answer(req, res, () => context(req)).then((done) => done || next());
}
