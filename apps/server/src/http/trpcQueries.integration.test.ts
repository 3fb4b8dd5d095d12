// The query path answers exactly as tRPC's own adapter: every query procedure of the router, alone
// and batched, for callers it admits and refuses, with good and bad inputs. The reference is the same
// request with `trpc-accept: application/json`, which tRPC answers the same way (only jsonl streams)
// and which the query path leaves to tRPC's adapter.
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURE_SAMPLES } from '../testing/samples.js';
import { bearer, routerProcedures, settle, startHarnessWithServer, type HarnessWithServer } from '../testing/server.js';

let h: HarnessWithServer;
beforeAll(async () => {
  // A still clock: answers that say when they were made (generatedAt) must come out the same twice.
  const now = new Date();
  h = await startHarnessWithServer({ now: () => now, app: { trustProxy: 'loopback' } });
});
afterAll(async () => {
  await h.close();
});

const QUERIES = Object.entries(routerProcedures)
  .filter(([, procedure]) => procedure._def.type === 'query')
  .map(([path]) => path);

const CALLERS: Record<string, Record<string, string>> = {
  'no token': {},
  'bad token': bearer('made-up-token'),
  member: bearer(DEMO_TOKENS.member),
  'workspace admin': bearer(DEMO_TOKENS.admin),
  'operator viewer': bearer(DEMO_TOKENS.viewer),
  'service token': bearer(DEMO_TOKENS.service),
};

interface Answer {
  status: number;
  headers: Record<string, string | null>;
  body: string;
}

let address = 0;
async function get(url: string, headers: Record<string, string>): Promise<Answer> {
  // A fresh client address per request: the bad token's failures must not trip the sign-in limit midway
  // (the client is the nearest address the loopback proxy does not vouch for: the last one given).
  address++;
  const response = await fetch(`${h.server.url}${url}`, { headers: { ...headers, 'x-forwarded-for': `198.18.${address >> 8}.${address & 255}` } });
  const names = ['content-type', 'vary', 'retry-after'];
  return { status: response.status, headers: Object.fromEntries(names.map((name) => [name, response.headers.get(name)])), body: await response.text() };
}

/** The same GET answered by the query path and by tRPC's adapter. */
async function both(url: string, headers: Record<string, string>) {
  const fast = await get(url, headers);
  const reference = await get(url, { ...headers, 'trpc-accept': 'application/json' });
  return { fast, reference };
}

const input = (value: unknown) => (value === undefined ? '' : `input=${encodeURIComponent(JSON.stringify(value))}`);
const sample = (path: string) => PROCEDURE_SAMPLES[path]!({ ...h, tokenId: 'none' });

describe('GET queries without tRPC’s adapter', () => {
  it.each(Object.keys(CALLERS))('answer every query procedure as tRPC does, alone, for %s', async (caller) => {
    await settle(h.services);
    let answered = 0;
    for (const path of QUERIES) {
      const { fast, reference } = await both(`/trpc/${path}?${input(sample(path))}`, CALLERS[caller]!);
      expect({ path, ...fast }).toEqual({ path, ...reference });
      if (fast.status === 200) answered++;
    }
    // Users have queries of their own to compare answers of; the rest are refused every one (SDKs read over REST).
    expect(answered > 0).toBe(['member', 'workspace admin', 'operator viewer'].includes(caller));
  });

  it('answers a batch of queries as tRPC does, refusals and bad input included', async () => {
    const batch = (paths: string[], inputs: unknown[]) =>
      `/trpc/${paths.join(',')}?batch=1&${input(Object.fromEntries(inputs.map((value, i) => [i, value])))}`;
    const reads = ['betaFeatures.list', 'flags.evaluate', 'session.whoami'];
    const ok = await both(batch(reads, reads.map(sample)), CALLERS.member!);
    expect(ok.fast).toEqual(ok.reference);
    expect(ok.fast.status).toBe(200);
    expect(JSON.parse(ok.fast.body)).toHaveLength(reads.length);
    // A client that names JSON as the (empty) body's type gets the same answer.
    const typed = await both(batch(reads, reads.map(sample)), { ...CALLERS.member!, 'content-type': 'application/json' });
    expect(typed.fast).toEqual(ok.fast);

    const mixed = await both(batch(['betaFeatures.list', 'admin.flags.list'], [undefined, undefined]), CALLERS.member!);
    expect(mixed.fast).toEqual(mixed.reference);
    expect(mixed.fast.status).toBe(207);

    const bad = await both(batch(['flags.evaluate'], [{ keys: 'not-a-list' }]), CALLERS.member!);
    expect(bad.fast).toEqual(bad.reference);
    expect(bad.fast.status).toBe(400);
  });

  it('leaves what is not a plain query to tRPC, which answers it as before', async () => {
    const cases = [
      '/trpc/flags.evaluate?input=%7Bnot-json',
      '/trpc/betaFeatures.toggle',
      '/trpc/no.such.procedure',
      `/trpc/${Array.from({ length: 21 }, () => 'betaFeatures.list').join(',')}?batch=1`,
      '/trpc/betaFeatures.list,flags.evaluate?batch=1&input=%5B1%5D',
    ];
    for (const url of cases) {
      const { fast, reference } = await both(url, CALLERS.member!);
      expect({ url, ...fast }).toEqual({ url, ...reference });
      expect(fast.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('serves a warm list as the same bytes, serialised once', async () => {
    const first = await get('/trpc/betaFeatures.list', CALLERS.member!);
    const second = await get('/trpc/betaFeatures.list', CALLERS.member!);
    expect(second).toEqual(first);
    expect(JSON.parse(first.body).result.data.features.length).toBeGreaterThan(0);
  });
});
