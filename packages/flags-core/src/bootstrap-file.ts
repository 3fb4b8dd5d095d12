/**
 * A flag snapshot persisted to a file, so a service that restarts while the API is down starts from
 * the last flag set it saw (`createFlagClient({ bootstrapFile })` uses these; so can anyone else).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { FlagSnapshot } from './wire.js';
import { readSnapshot, type ReadSnapshot } from './wire.js';

/** The snapshot in `path`, flag by flag (invalid flags in `invalid`); undefined when there is no such file. Throws when it is unreadable. */
export async function readSnapshotFile(path: string): Promise<ReadSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  return readSnapshot(JSON.parse(text));
}

/** Writes `snapshot` to `path` through a temporary file and a rename, so a reader never sees half a file. */
export async function writeSnapshotFile(path: string, snapshot: FlagSnapshot): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(snapshot)}\n`, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
