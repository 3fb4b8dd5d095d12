import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security.js';

/** The headers an Express app with these handlers sends, less the ones Node writes itself. */
async function headersFrom(handlers: RequestHandler[]): Promise<Record<string, string>> {
  const app = express();
  app.use(handlers);
  app.get('/', (_req, res) => res.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const headers = Object.fromEntries(response.headers);
    for (const own of ['date', 'connection', 'keep-alive', 'content-length', 'etag']) delete headers[own];
    return headers;
  } finally {
    server.close();
  }
}

describe('securityHeaders', () => {
  it('sends exactly what helmet sends, worked out once', async () => {
    const ours = await headersFrom(securityHeaders({}));
    expect(ours).toEqual(await headersFrom([helmet()]));
    expect(ours['content-security-policy']).toMatch(/default-src 'self'/);
    expect(ours).not.toHaveProperty('x-powered-by');
  });
});
