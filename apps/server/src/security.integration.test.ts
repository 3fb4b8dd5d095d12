// The browser-facing edge: cookie sessions, CSRF, connection params, headers, CORS, rate limits, 500s.
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from './http/credentials.js';
import { bearer, snapshotWrites, startHarnessWithServer, startServer, type HarnessWithServer, type TestServer } from './testing/server.js';

let h: HarnessWithServer;
let withCors: TestServer;
const PARTNER = 'https://partner.example.com';

beforeAll(async () => {
  h = await startHarnessWithServer({ app: { trustProxy: 'loopback' } });
  withCors = await startServer(h.services, { allowedOrigins: [PARTNER] });
});
afterAll(async () => {
  await withCors.close();
  await h.close();
});

async function signIn(body: unknown = { demoUser: 'member' }): Promise<string> {
  const response = await fetch(`${h.server.url}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: h.server.url }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=sg_ses_`));
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(cookie).toMatch(/Path=\//);
  return cookie.split(';')[0]!;
}

/** The first chunk of an event stream with a `data:` line: what the subscription said first. */
async function firstEvents(url: string, headers: Record<string, string>): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.getReader();
  let text = '';
  while (!/data: /.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  controller.abort();
  return text;
}

const toggle = (cookie: string, headers: Record<string, string> = {}) =>
  fetch(`${h.server.url}/trpc/betaFeatures.toggle`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ key: 'auto-tagging-v2', enabled: true }),
  });

describe('cookie sessions', () => {
  it('signs in a demo user: the cookie alone then authenticates queries and SSE subscriptions', async () => {
    const cookie = await signIn();
    const whoami = await fetch(`${h.server.url}/trpc/session.whoami`, { headers: { cookie } });
    expect(((await whoami.json()) as { result: { data: { user: { email: string }; via: string } } }).result.data).toMatchObject({ user: { email: 'member@stagegate.dev' }, via: 'session' });
    expect(await firstEvents(`${h.server.url}/trpc/events.onChange`, { cookie })).toContain('"kind":"reset"');
    expect(await firstEvents(`${h.server.url}/trpc/events.onChange`, {})).toContain('UNAUTHORIZED');
  });

  it('exchanges a pasted user token for a session; a service token is refused', async () => {
    const cookie = await signIn({ token: DEMO_TOKENS.admin });
    const whoami = await fetch(`${h.server.url}/trpc/session.whoami`, { headers: { cookie } });
    expect(((await whoami.json()) as { result: { data: { user: { email: string } } } }).result.data.user.email).toBe('admin@stagegate.dev');
    const refused = await fetch(`${h.server.url}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: h.server.url }, body: JSON.stringify({ token: DEMO_TOKENS.service }) });
    expect(refused.status).toBe(401);
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const cookie = await signIn();
    const out = await fetch(`${h.server.url}/auth/session`, { method: 'DELETE', headers: { cookie, origin: h.server.url } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`, 'i'));
    expect((await fetch(`${h.server.url}/trpc/session.whoami`, { headers: { cookie } })).status).toBe(401);
  });

  it('does not offer demo sign-in in production', async () => {
    const production = await startServer(h.services, { production: true });
    try {
      const response = await fetch(`${production.url}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: production.url }, body: JSON.stringify({ demoUser: 'owner' }) });
      expect(response.status).toBe(403);
      expect(await (await fetch(`${production.url}/auth/demo-users`)).json()).toEqual({ enabled: false, users: [] });
    } finally {
      await production.close();
    }
  });
});

describe('CSRF', () => {
  it('takes a cookie-authenticated change only from our own origin, writing nothing otherwise', async () => {
    const cookie = await signIn();
    const before = await snapshotWrites(h.db);
    const foreign: Array<Record<string, string>> = [{}, { origin: 'https://evil.example.com' }, { origin: 'null' }];
    for (const headers of foreign) {
      const response = await toggle(cookie, headers);
      expect(response.status).toBe(403);
      expect(JSON.stringify(await response.json())).toContain('CSRF_REJECTED');
    }
    expect(await snapshotWrites(h.db)).toEqual(before);
    expect((await toggle(cookie, { origin: h.server.url })).status).toBe(200);
  });

  it('leaves bearer-token clients alone (no cookie, nothing a browser would send by itself)', async () => {
    const response = await fetch(`${h.server.url}/trpc/betaFeatures.toggle`, { method: 'POST', headers: { ...bearer(DEMO_TOKENS.member), 'content-type': 'application/json' }, body: JSON.stringify({ key: 'internal-search', enabled: true }) });
    expect(response.status).toBe(200);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const response = await fetch(`${h.server.url}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example.com' }, body: JSON.stringify({ demoUser: 'member' }) });
    expect(response.status).toBe(403);
  });
});

describe('connection params', () => {
  it('authenticate a subscription, never a query or mutation', async () => {
    const editor = encodeURIComponent(JSON.stringify({ token: DEMO_TOKENS.editor }));
    const mutation = await fetch(`${h.server.url}/trpc/admin.flags.setRollout?connectionParams=${editor}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'smart-summaries', rolloutPercentage: 42 }),
    });
    expect(mutation.status).toBe(401);
    const query = await fetch(`${h.server.url}/trpc/admin.flags.list?connectionParams=${editor}`);
    expect(query.status).toBe(401);
    expect((await h.db.prisma.flag.findUniqueOrThrow({ where: { key: 'smart-summaries' } })).rolloutPercentage).toBe(0);
    const member = encodeURIComponent(JSON.stringify({ token: DEMO_TOKENS.member }));
    expect(await firstEvents(`${h.server.url}/trpc/events.onChange?connectionParams=${member}`, {})).toContain('"kind":"reset"');
  });
});

describe('headers', () => {
  it('sends security headers and no CORS headers by default', async () => {
    const response = await fetch(`${h.server.url}/api/beta-features`, { headers: { ...bearer(DEMO_TOKENS.member), origin: PARTNER } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers CORS for an allow-listed origin only', async () => {
    const allowed = await fetch(`${withCors.url}/api/beta-features`, { method: 'OPTIONS', headers: { origin: PARTNER, 'access-control-request-method': 'GET' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await fetch(`${withCors.url}/api/beta-features`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('failed sign-ins over HTTP', () => {
  it('answer 429 RATE_LIMITED with Retry-After once an address sprays tokens; another address is unaffected', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    let last: Response | undefined;
    for (let i = 0; i < 40; i++) last = await fetch(`${h.server.url}/api/beta-features`, { headers: { ...bearer(`spray-${i}`), ...from('192.0.2.50') } });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as { code: string }).code).toBe('RATE_LIMITED');
    const trpc = await fetch(`${h.server.url}/trpc/flags.evaluate`, { headers: { ...bearer('spray-trpc'), ...from('192.0.2.50') } });
    expect(trpc.status).toBe(429);
    expect(Number(trpc.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${h.server.url}/api/beta-features`, { headers: { ...bearer(DEMO_TOKENS.member), ...from('192.0.2.51') } })).status).toBe(200);
  });
});

describe('a 500', () => {
  it('says only "Something went wrong" and an error id: no paths, SQL or hosts', async () => {
    const leak = () => Promise.reject(new Error('SELECT * FROM flags at db.internal:5432 /srv/app/x.ts:12'));
    const broken = await startServer({ ...h.services, flags: { ...h.services.flags, flags: leak, flagSet: leak } });
    try {
      const response = await fetch(`${broken.url}/api/flags/snapshot`, { headers: bearer(DEMO_TOKENS.service) });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ success: false, code: 'INTERNAL', error: expect.stringMatching(/^Something went wrong \(error id [0-9a-f-]{36}\)$/) });
      expect(text).not.toMatch(/SELECT|5432|db\.internal|\/srv|\.ts/);
    } finally {
      await broken.close();
    }
  });
});
