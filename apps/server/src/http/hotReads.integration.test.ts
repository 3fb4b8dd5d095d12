import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appParts, createApp, type AppOptions } from '../app.js';
import { startHarness, type Harness } from '../testing/server.js';
import { hotReads, type ProxyTrust } from './hotReads.js';

// The hot reads answer a request exactly as Express's path does, or hand it to Express untouched:
// each request goes to a server with the hot reads and to one with Express alone, over the same
// services, and the answers must match byte for byte (but for Date).

let h: Harness;
const servers: Server[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await h.close();
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Express alone, and the hot reads ahead of the same app, counting what they hand on. */
async function pair(options: AppOptions) {
  const parts = appParts(h.services, options);
  const app = createApp(h.services, options, parts);
  let handedOn = 0;
  const counted: RequestListener = (req, res) => {
    handedOn++;
    app(req, res);
  };
  const hot = await listen(hotReads(h.services, counted, parts, { ...options, trust: app.get('trust proxy fn') as ProxyTrust }));
  const express = await listen(app);
  return { hot, express, handedOn: () => handedOn };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function ask(base: string, path: string, method: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { method, headers });
  const kept: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date') kept[name] = value;
  });
  return { status: response.status, headers: kept, body: await response.text() };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const keys = { keys: ['auto-tagging-v2', 'smart-summaries'] };
const evaluate = encodeURIComponent(JSON.stringify(keys));
const failures = async () => (await h.services.metrics.authFailures.get()).values.reduce((sum, value) => sum + value.value, 0);

describe('hot reads ahead of Express', () => {
  it('answer as Express does, serving warm reads themselves and handing on every other request', async () => {
    const { hot, express, handedOn } = await pair({});
    const etag = (await ask(express, '/api/flags/snapshot', 'GET', bearer(DEMO_TOKENS.service))).headers.etag!;
    const otherWorkspace = (await h.db.prisma.workspace.findFirstOrThrow({ where: { slug: { not: 'demo' } } })).id;
    const cases: Array<[string, string, string, Record<string, string>, 'served' | 'handed on', number]> = [
      ['a member lists betas', '/api/beta-features', 'GET', bearer(DEMO_TOKENS.member), 'served', 200],
      ["another workspace's member", '/api/beta-features', 'GET', bearer(DEMO_TOKENS.acmeMember), 'served', 200],
      ['a member naming a workspace not theirs', '/api/beta-features', 'GET', { ...bearer(DEMO_TOKENS.member), 'x-workspace-id': otherWorkspace }, 'handed on', 403],
      ['no credentials', '/api/beta-features', 'GET', {}, 'handed on', 401],
      ['an unknown token', '/api/beta-features', 'GET', bearer('no-such-token'), 'handed on', 401],
      ['a malformed header', '/api/beta-features', 'GET', { authorization: 'Basic abc' }, 'handed on', 401],
      ['a stale session cookie', '/api/beta-features', 'GET', { cookie: 'sg_session=ended' }, 'handed on', 401],
      ['a service token on a member route', '/api/beta-features', 'GET', bearer(DEMO_TOKENS.service), 'handed on', 403],
      ['a query string', '/api/beta-features?page=2', 'GET', bearer(DEMO_TOKENS.member), 'handed on', 200],
      ['a trailing slash', '/api/beta-features/', 'GET', bearer(DEMO_TOKENS.member), 'handed on', 200],
      ['HEAD', '/api/beta-features', 'HEAD', bearer(DEMO_TOKENS.member), 'handed on', 200],
      ['the snapshot', '/api/flags/snapshot', 'GET', bearer(DEMO_TOKENS.service), 'served', 200],
      ['the snapshot, still current', '/api/flags/snapshot', 'GET', { ...bearer(DEMO_TOKENS.service), 'if-none-match': etag }, 'served', 304],
      ['the snapshot, any version', '/api/flags/snapshot', 'GET', { ...bearer(DEMO_TOKENS.service), 'if-none-match': '*' }, 'served', 304],
      ['the snapshot for an operator', '/api/flags/snapshot', 'GET', bearer(DEMO_TOKENS.viewer), 'served', 200],
      ['the snapshot for a member', '/api/flags/snapshot', 'GET', bearer(DEMO_TOKENS.member), 'handed on', 403],
      ['a route that is not hot', '/api/flags/state?userId=u&workspaceId=w', 'GET', bearer(DEMO_TOKENS.service), 'handed on', 200],
      ['a write', '/api/beta-features/auto-tagging-v2/toggle', 'POST', { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json' }, 'handed on', 400],
      ['a tRPC query', '/trpc/betaFeatures.list', 'GET', bearer(DEMO_TOKENS.member), 'served', 200],
      ['a tRPC query with input', `/trpc/flags.evaluate?input=${evaluate}`, 'GET', bearer(DEMO_TOKENS.member), 'served', 200],
      ['a tRPC batch', `/trpc/betaFeatures.list,flags.evaluate?batch=1&input=${encodeURIComponent(`{"1":${JSON.stringify(keys)}}`)}`, 'GET', bearer(DEMO_TOKENS.member), 'served', 200],
      ['a tRPC query refused', '/trpc/admin.flags.list', 'GET', bearer(DEMO_TOKENS.member), 'handed on', 403],
      ['a tRPC batch with a refused query', '/trpc/betaFeatures.list,admin.flags.list?batch=1', 'GET', bearer(DEMO_TOKENS.member), 'handed on', 207],
      ['a tRPC query without credentials', '/trpc/betaFeatures.list', 'GET', {}, 'handed on', 401],
      ['an unknown procedure', '/trpc/nope', 'GET', bearer(DEMO_TOKENS.member), 'handed on', 404],
      ['a mutation over GET', '/trpc/betaFeatures.toggle', 'GET', bearer(DEMO_TOKENS.member), 'handed on', 405],
      ['a streamed tRPC answer', '/trpc/betaFeatures.list?batch=1', 'GET', { ...bearer(DEMO_TOKENS.member), 'trpc-accept': 'application/jsonl' }, 'handed on', 200],
      ['bad percent-encoding', '/trpc/%E0%A4%A', 'GET', bearer(DEMO_TOKENS.member), 'handed on', 400],
    ];
    for (const [name, path, method, headers, lane, status] of cases) {
      const before = { handedOn: handedOn(), failures: await failures() };
      const fromHot = await ask(hot, path, method, headers);
      const hotFailures = (await failures()) - before.failures;
      const fromExpress = await ask(express, path, method, headers);
      expect(fromHot, name).toEqual(fromExpress);
      expect(fromHot.status, name).toBe(status);
      expect(handedOn() - before.handedOn, name).toBe(lane === 'served' ? 0 : 1);
      // Handed on after a refusal, the request keeps its context: a failed sign-in counts once.
      expect(hotFailures, name).toBe((await failures()) - before.failures - hotFailures);
    }
  });

  it('hand cross-origin requests to Express while CORS is on, so its headers are on the answer', async () => {
    const { hot, express, handedOn } = await pair({ allowedOrigins: ['https://app.example'] });
    const headers = { ...bearer(DEMO_TOKENS.member), origin: 'https://app.example' };
    const fromHot = await ask(hot, '/api/beta-features', 'GET', headers);
    expect(fromHot).toEqual(await ask(express, '/api/beta-features', 'GET', headers));
    expect(fromHot.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(handedOn()).toBe(1);
    // Same-origin (no Origin header): served.
    expect(await ask(hot, '/api/beta-features', 'GET', bearer(DEMO_TOKENS.member))).toEqual(await ask(express, '/api/beta-features', 'GET', bearer(DEMO_TOKENS.member)));
    expect(handedOn()).toBe(1);
  });

  it('count a served read in the request metrics under its route, as Express does', async () => {
    const { hot } = await pair({});
    const count = async (route: string) =>
      (await h.services.metrics.httpDuration.get()).values.find((value) => value.metricName?.endsWith('_count') && value.labels.route === route && value.labels.status === '200')?.value ?? 0;
    for (const [path, route] of [
      ['/api/beta-features', '/api/beta-features'],
      ['/trpc/betaFeatures.list', '/trpc/betaFeatures.list'],
      ['/trpc/betaFeatures.list,betaFeatures.list?batch=1', '/trpc/(batch)'],
    ]) {
      const before = await count(route!);
      await ask(hot, path!, 'GET', bearer(DEMO_TOKENS.member));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await count(route!), path).toBe(before + 1);
    }
  });
});
