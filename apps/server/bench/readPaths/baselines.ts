import { once } from 'node:events';
import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** One answer of the real server, recorded so the baselines can send the same bytes. */
export interface RecordedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface Baseline {
  url: string;
  close(): Promise<void>;
}

/** Requests are told apart by URL and If-None-Match, the only inputs the recorded answers depend on. */
export const responseKey = (url: string, ifNoneMatch: string | undefined) => `${url}|${ifNoneMatch ?? ''}`;

async function listen(server: Server): Promise<Baseline> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const missing = (url: string | undefined): never => {
  throw new Error(`no recorded answer for ${url}`);
};

/** node:http and nothing else: the floor for sending these bytes. */
export function startRawServer(responses: ReadonlyMap<string, RecordedResponse>): Promise<Baseline> {
  return listen(
    createServer((req, res) => {
      const answer = responses.get(responseKey(req.url ?? '', req.headers['if-none-match'])) ?? missing(req.url);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.status === 304 ? undefined : answer.body);
    }),
  );
}

/** Express with one handler and its automatic ETag off (as the real app): what Express itself costs. */
export function startExpressServer(responses: ReadonlyMap<string, RecordedResponse>): Promise<Baseline> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res) => {
    const answer = responses.get(responseKey(req.originalUrl, req.get('if-none-match'))) ?? missing(req.originalUrl);
    res.status(answer.status).set(answer.headers);
    if (answer.status === 304) res.end();
    else res.send(answer.body);
  });
  return listen(createServer(app));
}
