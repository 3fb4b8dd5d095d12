import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlagClient, type FlagClient, type FlagClientEvent, type FlagClientOptions } from './client.js';
import { createTestSource, type TestSource } from './client.fixtures.js';
import { makeFlag } from './testing.js';
import { InvalidFlagError, type FlagDefinitionInput } from './wire.js';

const ctx = { userId: 'user-1', workspaceId: 'ws-1' };
/** A flag as JSON carries it. */
const wire = (partial: Parameters<typeof makeFlag>[0]): FlagDefinitionInput => JSON.parse(JSON.stringify(makeFlag(partial))) as FlagDefinitionInput;

let clients: FlagClient[] = [];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagegate-startup-'));
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
  await rm(dir, { recursive: true, force: true });
});

function setup(source: TestSource, options: Partial<FlagClientOptions> = {}) {
  const errors: unknown[] = [];
  const events: FlagClientEvent[] = [];
  const client = createFlagClient({ source, startupTimeoutMs: 50, sourceTimeoutMs: 100, onError: (error) => errors.push(error), ...options });
  client.onEvent((event) => events.push(event));
  clients.push(client);
  return { client, errors, events };
}

describe('createFlagClient: bootstrap', () => {
  it('serves a bootstrap snapshot while the source hangs, skipping its invalid flags, then the source once it answers', async () => {
    const source = createTestSource([makeFlag({ key: 'search-v3', enabled: false })]);
    source.hang = true;
    const bootstrap = { flags: [wire({ key: 'search-v3', enabled: true }), { ...wire({ key: 'broken', version: 2 }), stage: 'omega' as 'ga' }] };
    const { client, errors, events } = setup(source, { bootstrap });

    expect(await client.ready()).toBe(true);
    // A user never seen still needs its state: the bootstrap holds flags only.
    expect(await client.evaluate('search-v3', ctx)).toMatchObject({ enabled: false, reason: 'SOURCE_ERROR', stage: 'ga' });
    expect(client.evaluateSync('broken', ctx)).toMatchObject({ reason: 'FLAG_NOT_FOUND' });
    expect(client.stats()).toMatchObject({ flagsFrom: 'bootstrap', status: 'stale', invalidFlags: 1, lastRefreshAt: null });
    expect(errors[0]).toBeInstanceOf(InvalidFlagError);

    source.hang = false;
    await client.refresh();
    expect(await client.evaluate('search-v3', ctx)).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(client.stats()).toMatchObject({ flagsFrom: 'source', status: 'ready' });
    expect(events).toContainEqual({ type: 'flags', changedKeys: ['search-v3'] });
    expect(events.filter((event) => event.type === 'status').map((event) => event.type === 'status' && event.status)).toEqual(['ready']);
  });
});

describe('createFlagClient: bootstrapFile', () => {
  it('writes the flag set it loads, and a client restarted while the source hangs starts from it', async () => {
    const path = join(dir, 'flags.json');
    const first = setup(createTestSource([makeFlag({ key: 'search-v3', enabled: true })]), { bootstrapFile: path });
    expect(await first.client.isEnabled('search-v3', ctx)).toBe(true);
    await first.client.close();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ flags: [{ key: 'search-v3', enabled: true }] });

    const down = createTestSource([]);
    down.hang = true;
    const restarted = setup(down, { bootstrapFile: path });
    expect(await restarted.client.ready()).toBe(true);
    expect(restarted.client.stats()).toMatchObject({ flagsFrom: 'bootstrap', status: 'stale' });
    expect((await restarted.client.flags()).map((flag) => flag.key)).toEqual(['search-v3']);
  });

  it('rewrites the file only when the flag set changed', async () => {
    const path = join(dir, 'flags.json');
    const source = createTestSource([makeFlag({ key: 'search-v3' })]);
    const { client } = setup(source, { bootstrapFile: path });
    await client.flags();
    await client.close();
    await writeFile(path, JSON.stringify({ flags: [wire({ key: 'search-v3' })], marker: 'kept' }));

    const again = setup(source, { bootstrapFile: path });
    await again.client.refresh();
    await again.client.close();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ marker: 'kept' });

    source.memory.setFlag(makeFlag({ key: 'search-v3', enabled: true }));
    const third = setup(source, { bootstrapFile: path });
    await third.client.flags();
    await third.client.close();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ flags: [expect.objectContaining({ key: 'search-v3', enabled: true })] });
  });

  it('starts cold, within startupTimeoutMs, when there is no file and the source hangs', async () => {
    const source = createTestSource([]);
    source.hang = true;
    const started = Date.now();
    const { client } = setup(source, { bootstrapFile: join(dir, 'absent.json'), sourceTimeoutMs: 10_000 });
    expect(await client.isEnabled('search-v3', ctx)).toBe(false);
    expect(await client.evaluate('search-v3', ctx)).toMatchObject({ reason: 'NOT_READY' });
    expect(await client.ready()).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reports an unreadable file and goes on without it', async () => {
    const path = join(dir, 'flags.json');
    await writeFile(path, 'not json');
    const { client, errors } = setup(createTestSource([makeFlag({ key: 'search-v3', enabled: true })]), { bootstrapFile: path });
    expect(await client.isEnabled('search-v3', ctx)).toBe(true);
    await client.close();
    expect(errors).toEqual([expect.any(SyntaxError)]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ flags: [{ key: 'search-v3' }] });
  });
});
