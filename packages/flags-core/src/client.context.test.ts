import { afterEach, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient } from './client.js';
import { createTestSource } from './client.fixtures.js';
import type { EvaluationContext, FlagResolution } from './schema.js';
import { makeFlag } from './testing.js';

let clients: FlagClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
});

/** Contexts a JavaScript or JSON caller can pass, whatever the types say. */
const BAD_CONTEXTS: Array<[label: string, ctx: unknown, reason: 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT']> = [
  ['no context', undefined, 'TARGETING_KEY_MISSING'],
  ['a null context', null, 'TARGETING_KEY_MISSING'],
  ['an empty context', {}, 'TARGETING_KEY_MISSING'],
  ['a null user id', { userId: null, workspaceId: 'ws-1' }, 'TARGETING_KEY_MISSING'],
  ['an empty user id', { userId: '', workspaceId: 'ws-1' }, 'TARGETING_KEY_MISSING'],
  ['a numeric user id', { userId: 42, workspaceId: 'ws-1' }, 'TARGETING_KEY_MISSING'],
  ['an object as user id', { userId: { id: 'u1' }, workspaceId: 'ws-1' }, 'TARGETING_KEY_MISSING'],
  ['no workspace id', { userId: 'user-1' }, 'INVALID_CONTEXT'],
  ['a null workspace id', { userId: 'user-1', workspaceId: null }, 'INVALID_CONTEXT'],
  ['an empty workspace id', { userId: 'user-1', workspaceId: '' }, 'INVALID_CONTEXT'],
  ['a numeric workspace id', { userId: 'user-1', workspaceId: 7 }, 'INVALID_CONTEXT'],
];

function setup() {
  const source = createTestSource([makeFlag({ key: 'everyone', enabled: true, rolloutPercentage: 100 }), makeFlag({ key: 'killed', enabled: true, kill: { reason: 'incident', at: new Date(), by: 'oncall@example.com' } })]);
  const seen: Array<[FlagResolution, EvaluationContext]> = [];
  const errors: unknown[] = [];
  const client = createFlagClient({ source, onEvaluation: (resolution, ctx) => seen.push([resolution, ctx]), onError: (error) => errors.push(error) });
  clients.push(client);
  return { client, source, seen, errors };
}

describe('createFlagClient: a context without ids', () => {
  it.each(BAD_CONTEXTS)('%s: off with the reason, from every method, without a user load, on a cold and a warm cache', async (_label, bad, reason) => {
    const ctx = bad as EvaluationContext;
    for (const warm of [false, true]) {
      const { client, source, seen, errors } = setup();
      if (warm) await client.flags();
      const expected = { key: 'everyone', enabled: false, reason };
      // Synchronous first, so the cold pass asks before anything loaded: off is certain without ids.
      expect(client.isEnabledSync('everyone', ctx)).toBe(false);
      expect(client.evaluateSync('everyone', ctx)).toMatchObject(expected);
      expect(await client.evaluate('everyone', ctx)).toMatchObject(expected);
      expect(await client.isEnabled('everyone', ctx)).toBe(false);
      expect(await client.evaluateAll(ctx)).toEqual([
        { key: 'everyone', enabled: false, reason, stage: 'ga' },
        { key: 'killed', enabled: false, reason: 'KILLED', stage: 'ga' },
      ]);
      expect(await client.route('everyone', ctx, { enabled: () => 'new', disabled: () => 'legacy' })).toBe('legacy');
      // The resolver's precedence still holds: a kill switch is reported before a missing id.
      expect(await client.evaluate('killed', ctx)).toMatchObject({ reason: 'KILLED' });
      expect(await client.evaluate('no-such-flag', ctx)).toMatchObject({ reason: 'FLAG_NOT_FOUND' });

      expect(source.calls.loadUserState).toBe(0);
      expect(client.stats()).toMatchObject({ cachedUsers: 0, sourceErrors: 0 });
      expect(client.stats().invalidContexts).toBeGreaterThanOrEqual(8);
      expect(errors).toEqual([]);
      expect(seen.every(([resolution, seenCtx]) => !resolution.enabled && seenCtx != null)).toBe(true);
    }
  });

  it('keeps answering valid contexts from the cache in between', async () => {
    const { client, source } = setup();
    const good = { userId: 'user-1', workspaceId: 'ws-1' };
    expect(await client.isEnabled('everyone', good)).toBe(true);
    for (const [, bad] of BAD_CONTEXTS) await client.isEnabled('everyone', bad as EvaluationContext);
    expect(await client.isEnabled('everyone', good)).toBe(true);
    expect(source.calls.users).toEqual(['user-1@ws-1']);
  });
});
