import { afterEach, describe, expect, it } from 'vitest';
import { SourceTimeoutError } from './deadline.js';
import { createHttpSource } from './http-source.js';
import { json, startLoopbackServer, type LoopbackServer } from './loopback.fixtures.js';
import type { FlagChange } from './source.js';
import { makeFlag } from './testing.js';
import { InvalidFlagError } from './wire.js';

let servers: LoopbackServer[] = [];
const stops: Array<() => unknown> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});
async function serve(handle: Parameters<typeof startLoopbackServer>[0]) {
  const server = await startLoopbackServer(handle);
  servers.push(server);
  return server;
}
const until = async (check: () => boolean, ms = 2_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** A flag as the snapshot endpoint sends it. */
const wire = (partial: Parameters<typeof makeFlag>[0] = {}) => JSON.parse(JSON.stringify(makeFlag(partial))) as Record<string, unknown>;

describe('createHttpSource: the snapshot', () => {
  it('skips an invalid flag, counts it, and reports it once per key and version', async () => {
    let badVersion = 3;
    const server = await serve((_req, res) =>
      json(res, 200, { flags: [wire({ key: 'inbox-v2' }), { ...wire({ key: 'search-v3', version: badVersion }), stage: 'gamma' }, wire({ key: 'dark-mode' })] }),
    );
    const errors: unknown[] = [];
    const source = createHttpSource({ baseUrl: server.url, token: 't', onError: (error) => errors.push(error) });

    for (let i = 0; i < 3; i++) expect((await source.loadFlags()).map((flag) => flag.key)).toEqual(['inbox-v2', 'dark-mode']);
    expect(source.invalidFlags()).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InvalidFlagError);
    expect(errors[0]).toMatchObject({ key: 'search-v3', version: 3 });

    badVersion = 4;
    await source.loadFlags();
    expect(errors.map((error) => (error as InvalidFlagError).version)).toEqual([3, 4]);
  });

  it('revalidates with If-None-Match and hands back the same flags on 304', async () => {
    const server = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      json(res, 200, { flags: [wire({ key: 'inbox-v2' })], etag: '"v1"' }, { etag: '"v1"' });
    });
    const source = createHttpSource({ baseUrl: `${server.url}/`, token: 'service-token' });
    const first = await source.loadFlags();
    expect(await source.loadFlags()).toBe(first);
    expect(server.requests).toEqual(['GET /api/flags/snapshot', 'GET /api/flags/snapshot']);
  });

  it('reads a user state, with ISO dates, through the schema', async () => {
    const server = await serve((_req, res) =>
      json(res, 200, { optIns: { 'inbox-v2': true }, overrides: { 'search-v3': { enabled: true, reason: 'support', expiresAt: '2027-01-01T00:00:00.000Z' } } }),
    );
    const state = await createHttpSource({ baseUrl: server.url, token: 't' }).loadUserState('user 1', 'ws/1');
    expect(state.overrides['search-v3']?.expiresAt).toEqual(new Date('2027-01-01T00:00:00.000Z'));
    expect(server.requests).toEqual(['GET /api/flags/state?userId=user+1&workspaceId=ws%2F1']);
  });
});

describe('createHttpSource: a server that fails', () => {
  it('gives up on a server that accepts and never answers, after requestTimeoutMs', async () => {
    const server = await serve(() => undefined);
    const source = createHttpSource({ baseUrl: server.url, token: 't', requestTimeoutMs: 100 });
    const started = Date.now();
    await expect(source.loadFlags()).rejects.toBeInstanceOf(SourceTimeoutError);
    await expect(source.loadUserState('u1', 'ws-1')).rejects.toThrow('GET /api/flags/state?userId=u1&workspaceId=ws-1: no answer within 100 ms');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up when the caller aborts', async () => {
    const server = await serve(() => undefined);
    const source = createHttpSource({ baseUrl: server.url, token: 't', requestTimeoutMs: 60_000 });
    const controller = new AbortController();
    const pending = source.loadFlags({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client gave up')), 20);
    await expect(pending).rejects.toThrow('client gave up');
  });

  it.each([
    ['500', (res: Parameters<typeof json>[0]) => json(res, 500, { error: 'boom' }), /answered 500/],
    ['a body that is no snapshot', (res: Parameters<typeof json>[0]) => json(res, 200, { data: [] }), /flags/],
    ['a body that is not JSON', (res: Parameters<typeof json>[0]) => res.writeHead(200).end('<html>'), /JSON/],
  ])('rejects a snapshot answered with %s', async (_label, answer, message) => {
    const server = await serve((_req, res) => answer(res));
    await expect(createHttpSource({ baseUrl: server.url, token: 't' }).loadFlags()).rejects.toThrow(message);
  });
});

describe('createHttpSource: the change stream', () => {
  it('reads events split across writes, skips comments, resets after the server dies mid-stream, and reconnects', async () => {
    let connections = 0;
    const server = await serve((_req, res) => {
      connections++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (connections === 1) {
        res.write(': connected\n\ndata: {"kind":"fl');
        setTimeout(() => res.write('ags"}\r\n\r\nevent: change\nid: 7\ndata: {"kind":"workspace","workspaceId":"ws-1"}\n\n'), 10);
        // The server process dies: the socket is cut mid-stream.
        setTimeout(() => res.socket?.destroy(), 30);
      } else {
        res.write('data: {"kind":"user","userId":"u1"}\n\ndata: not json\n\n');
      }
    });
    const changes: FlagChange[] = [];
    const errors: unknown[] = [];
    const source = createHttpSource({ baseUrl: server.url, token: 't', minBackoffMs: 10, onError: (error) => errors.push(error) });
    const unsubscribe = source.subscribe((change) => changes.push(change));
    stops.push(unsubscribe);

    await until(() => changes.length >= 5);
    expect(changes).toEqual([
      { kind: 'flags' },
      { kind: 'workspace', workspaceId: 'ws-1' },
      { kind: 'reset' },
      { kind: 'user', userId: 'u1' },
      { kind: 'reset' }, // the unreadable event
    ]);
    expect(connections).toBe(2);
    expect(errors.map(String)).toEqual([expect.stringMatching(/terminated|ended|socket/i), 'Error: unreadable change event: not json']);
  });

  it('backs off against a stream that answers 500, and stops when unsubscribed', async () => {
    const server = await serve((_req, res) => json(res, 500, {}));
    const errors: unknown[] = [];
    const source = createHttpSource({ baseUrl: server.url, token: 't', minBackoffMs: 10, maxBackoffMs: 20, onError: (error) => errors.push(error) });
    const unsubscribe = source.subscribe(() => undefined);
    await until(() => server.requests.length >= 3);
    await unsubscribe();
    const seen = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(server.requests.length).toBe(seen);
    expect(String(errors[0])).toMatch(/answered 500/);
  });

  it('treats a stream that accepts and never sends as dead after idleTimeoutMs', async () => {
    const server = await serve(() => undefined);
    const errors: unknown[] = [];
    const source = createHttpSource({ baseUrl: server.url, token: 't', idleTimeoutMs: 50, minBackoffMs: 10, onError: (error) => errors.push(error) });
    stops.push(source.subscribe(() => undefined));
    await until(() => server.requests.length >= 2);
    expect(String(errors[0])).toMatch(/silent for 50 ms/);
  });
});

describe('createHttpSource metrics against a server that collects none', () => {
  it('stops sending after a 404, without reporting an error', async () => {
    let posts = 0;
    const errors: unknown[] = [];
    const source = createHttpSource({
      baseUrl: 'http://127.0.0.1:1',
      token: 't',
      onError: (error) => errors.push(error),
      fetch: async () => {
        posts++;
        return new Response('{"code":"NOT_FOUND"}', { status: 404 });
      },
    });
    const report = { sentAt: new Date().toISOString(), windows: [], dropped: { windows: 0, evaluations: 0, routeCalls: 0 } };
    await source.reportMetrics(report as never);
    await source.reportMetrics(report as never);
    expect(posts).toBe(1);
    expect(errors).toEqual([]);
  });
});
