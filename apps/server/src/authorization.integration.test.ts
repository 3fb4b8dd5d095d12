// The authorization matrix, generated from the router and the REST route table: every procedure and
// route × every kind of caller, the outcome each cell must have from the access level it declares,
// and nothing written by any refused call. A new procedure or route is in it without anyone adding it.
import { ACCESS_LEVELS, type Access } from '@stagegate/api';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { generateToken, hashToken } from '@stagegate/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRoutes } from './app.js';
import { PROCEDURE_SAMPLES, REST_SAMPLES } from './testing/samples.js';
import { bearer, routerProcedures, snapshotWrites, startHarnessWithServer, type HarnessWithServer } from './testing/server.js';

let h: HarnessWithServer;
let tokenId: string;

beforeAll(async () => {
  // Each caller from an address of its own (as a proxy reports it): one caller's failed sign-ins must not rate-limit the next.
  h = await startHarnessWithServer({ app: { trustProxy: 'loopback' } });
  // A token for admin.tokens.revoke to revoke.
  tokenId = (await h.db.prisma.apiToken.create({ data: { tokenHash: hashToken(generateToken('service')), name: 'to revoke', kind: 'service' } })).id;
});
afterAll(async () => {
  await h.close();
});

type CallerName = 'no token' | 'bad token' | 'member' | 'workspace admin' | 'operator viewer' | 'operator editor' | 'operator owner' | 'service token' | 'acme member' | 'acme admin';
const CALLERS: Record<CallerName, () => Record<string, string>> = {
  'no token': () => ({}),
  'bad token': () => bearer('made-up-token'),
  member: () => bearer(DEMO_TOKENS.member),
  'workspace admin': () => bearer(DEMO_TOKENS.admin),
  'operator viewer': () => bearer(DEMO_TOKENS.viewer),
  'operator editor': () => bearer(DEMO_TOKENS.editor),
  'operator owner': () => bearer(DEMO_TOKENS.owner),
  'service token': () => bearer(DEMO_TOKENS.service),
  'acme member': () => bearer(DEMO_TOKENS.acmeMember),
  'acme admin': () => bearer(DEMO_TOKENS.acmeAdmin),
};

const headersOf = (caller: CallerName) => ({ ...CALLERS[caller](), 'x-forwarded-for': `198.51.100.${Object.keys(CALLERS).indexOf(caller) + 1}` });

/** Who passes each access level, written out by hand (not derived from the policy it checks). */
const ALLOWED: Record<Access, CallerName[]> = {
  public: Object.keys(CALLERS) as CallerName[],
  signedIn: ['member', 'workspace admin', 'operator viewer', 'operator editor', 'operator owner', 'acme member', 'acme admin'],
  member: ['member', 'workspace admin', 'acme member', 'acme admin'],
  workspaceAdmin: ['workspace admin', 'acme admin'],
  viewer: ['operator viewer', 'operator editor', 'operator owner'],
  editor: ['operator editor', 'operator owner'],
  owner: ['operator owner'],
  sdk: ['service token', 'operator viewer', 'operator editor', 'operator owner'],
};
const refusal = (caller: CallerName) => (caller === 'no token' || caller === 'bad token' ? { status: 401, code: 'UNAUTHORIZED' } : { status: 403, code: 'FORBIDDEN' });

interface Cell {
  name: string;
  access: Access;
  send(headers: Record<string, string>): Promise<{ status: number; code: string | undefined }>;
}

function procedureCells(): Cell[] {
  return Object.entries(routerProcedures)
    .filter(([, procedure]) => procedure._def.type !== 'subscription')
    .map(([path, procedure]) => ({
      name: path,
      access: (procedure._def.meta as { access: Access }).access,
      send: (headers) => h.server.call(path, PROCEDURE_SAMPLES[path]!({ ...h, tokenId }), headers),
    }));
}

function restCells(): Cell[] {
  return restRoutes(h.services).map((route) => {
    const name = `${route.method.toUpperCase()} ${route.path}`;
    return {
      name,
      access: route.access,
      async send(headers) {
        const sample = REST_SAMPLES[name]!;
        const controller = new AbortController();
        const response = await fetch(`${h.server.url}${sample.path(h)}`, {
          method: sample.method,
          headers: { ...headers, ...(sample.body !== undefined && { 'content-type': 'application/json' }), origin: h.server.url },
          body: sample.body === undefined ? undefined : JSON.stringify(sample.body),
          signal: controller.signal,
        });
        // An event stream never ends: its status is the answer.
        if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
          controller.abort();
          return { status: response.status, code: undefined };
        }
        const body = (await response.json()) as { code?: string };
        return { status: response.status, code: response.ok ? undefined : body.code };
      },
    };
  });
}

describe('authorization matrix', () => {
  it('has an access level on every procedure and a sample for every procedure and route', () => {
    for (const [path, procedure] of Object.entries(routerProcedures)) {
      expect(ACCESS_LEVELS, path).toContain((procedure._def.meta as { access?: Access } | undefined)?.access);
      if (procedure._def.type !== 'subscription') expect(PROCEDURE_SAMPLES[path], path).toBeDefined();
    }
    for (const cell of restCells()) expect(REST_SAMPLES[cell.name], cell.name).toBeDefined();
    expect(procedureCells().length + restCells().length).toBeGreaterThanOrEqual(39);
  });

  it('puts no admin.* procedure within reach of a workspace role', () => {
    for (const cell of procedureCells().filter((c) => c.name.startsWith('admin.'))) expect(['viewer', 'editor', 'owner'], cell.name).toContain(cell.access);
  });

  const refusedCallers = Object.keys(CALLERS) as CallerName[];
  it.each(refusedCallers)('refuses %s wherever its access level says so, with the right code, writing nothing', async (caller) => {
    const before = await snapshotWrites(h.db);
    const cells = [...procedureCells(), ...restCells()].filter((cell) => !ALLOWED[cell.access].includes(caller));
    for (const cell of cells) expect(await cell.send(headersOf(caller)), `${caller} → ${cell.name}`).toEqual(refusal(caller));
    expect(await snapshotWrites(h.db)).toEqual(before);
  });

  // Last: these calls write.
  it.each(refusedCallers)('lets %s through wherever its access level says so (never 401/403, never 5xx)', async (caller) => {
    const cells = [...procedureCells(), ...restCells()].filter((cell) => ALLOWED[cell.access].includes(caller));
    for (const cell of cells) {
      const { status, code } = await cell.send(headersOf(caller));
      expect([401, 403].includes(status) || status >= 500, `${caller} → ${cell.name}: ${status} ${code}`).toBe(false);
    }
  });
});
