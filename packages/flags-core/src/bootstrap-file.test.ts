import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSnapshotFile, writeSnapshotFile } from './bootstrap-file.js';
import { makeFlag } from './testing.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stagegate-bootstrap-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('bootstrap file', () => {
  it('writes a snapshot through a temporary file and reads it back with its dates', async () => {
    const path = join(dir, 'flags.json');
    await writeSnapshotFile(path, { flags: [makeFlag({ key: 'inbox-v2' })], etag: '"v1"' });
    expect(await readdir(dir)).toEqual(['flags.json']);
    const read = await readSnapshotFile(path);
    expect(read?.snapshot.flags).toEqual([makeFlag({ key: 'inbox-v2' })]);
    expect(read?.snapshot.etag).toBe('"v1"');
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ flags: [{ key: 'inbox-v2', ttlStart: '2026-05-01T00:00:00.000Z' }] });
  });

  it('answers undefined for a missing file and throws for one that is not a snapshot', async () => {
    expect(await readSnapshotFile(join(dir, 'none.json'))).toBeUndefined();
    await writeFile(join(dir, 'bad.json'), '{"flags":');
    await expect(readSnapshotFile(join(dir, 'bad.json'))).rejects.toThrow(SyntaxError);
  });

  it('leaves no temporary file behind when the write fails', async () => {
    await expect(writeSnapshotFile(join(dir, 'missing-dir', 'flags.json'), { flags: [] })).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});
