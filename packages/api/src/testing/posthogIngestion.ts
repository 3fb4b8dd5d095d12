/** A loopback stand-in for PostHog's ingestion endpoint: records every event the real client posts. Tests only. */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface IngestedEvent {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
}

export interface IngestedBatch {
  path: string;
  api_key: string;
  batch: IngestedEvent[];
}

export interface IngestionOptions {
  /** How to answer each request once its body is read; by default 200 `{"status":1}`. A no-op never answers. */
  respond?: (res: http.ServerResponse) => void;
}

export async function startIngestion({ respond = (res) => res.end('{"status":1}') }: IngestionOptions = {}) {
  const batches: IngestedBatch[] = [];
  const events: IngestedEvent[] = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      if (req.url?.startsWith('/batch')) {
        const batch = { path: req.url, ...(JSON.parse(body.toString('utf8')) as Omit<IngestedBatch, 'path'>) };
        batches.push(batch);
        events.push(...batch.batch);
      }
      respond(res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every /batch request's body, with its path. */
    batches,
    /** The events of all batches, in arrival order. */
    events,
    /** Requests received, answered or not. */
    requests: () => requests,
    /** Resolves once `count` events arrived (or rejects after `timeoutMs`). */
    async waitFor(count: number, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${events.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
