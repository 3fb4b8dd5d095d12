import type { FlagCache } from './flag-cache.js';
import type { FlagDefinition } from './schema.js';
import { readSnapshot, type FlagSnapshot, type FlagSnapshotInput, type ReadSnapshot } from './wire.js';

export interface StartupOptions {
  cache: FlagCache;
  bootstrap: FlagSnapshotInput | undefined;
  bootstrapFile: string | undefined;
  startupTimeoutMs: number;
  report: (error: unknown) => void;
}

/** A client's cold start: its bootstraps, the bounded wait for a first flag set, and the persisted snapshot. */
export interface Startup {
  /** Installs the bootstrap and starts reading the bootstrap file. */
  start(): void;
  /** True while the bootstrap file is still being read. */
  readonly bootstrapping: boolean;
  /** Flags the bootstraps left out because they failed the schema. */
  readonly invalidFlags: number;
  /** Resolves once a flag set is loaded (the source's or a bootstrap), every load tried has failed, or startupTimeoutMs passed. */
  waitForFlags(): Promise<void>;
  /** Writes a flag set the source answered to the bootstrap file, when it differs from what the file holds. */
  persist(definitions: readonly FlagDefinition[]): void;
  /** Waits for file reads and writes under way. */
  close(): Promise<void>;
}

export function createStartup({ cache, bootstrap, bootstrapFile, startupTimeoutMs, report }: StartupOptions): Startup {
  let reading: Promise<void> | undefined;
  let writing: Promise<void> = Promise.resolve();
  /** The JSON the bootstrap file holds (or is being written with), so an unchanged set is not rewritten. */
  let written: string | undefined;
  let invalidFlags = 0;

  const install = (read: ReadSnapshot) => {
    invalidFlags += read.invalid.length;
    read.invalid.forEach(report);
    cache.bootstrap(read.snapshot.flags);
  };

  return {
    start() {
      if (bootstrap !== undefined) {
        try {
          install(readSnapshot(bootstrap));
        } catch (error) {
          report(error);
        }
      }
      if (bootstrapFile === undefined) return;
      const path = bootstrapFile;
      // Imported here, not at the top: flags-core must load where node:fs does not exist.
      reading = import('./bootstrap-file.js')
        .then((io) => io.readSnapshotFile(path))
        .then((read) => {
          if (read === undefined) return;
          written = JSON.stringify({ flags: read.snapshot.flags });
          install(read);
        })
        .catch(report)
        .finally(() => {
          reading = undefined;
        });
    },

    get bootstrapping() {
      return reading !== undefined;
    },

    get invalidFlags() {
      return invalidFlags;
    },

    waitForFlags() {
      if (cache.flags !== undefined) return Promise.resolve();
      const loads: Promise<unknown>[] = [];
      if (!cache.backingOff(cache.tick())) loads.push(cache.loadFlags());
      if (reading !== undefined) loads.push(reading);
      if (loads.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let pending = loads.length;
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, startupTimeoutMs);
        timer.unref?.();
        for (const load of loads) {
          void load.then(() => {
            pending--;
            if (cache.flags !== undefined || pending === 0) done();
          });
        }
      });
    },

    persist(definitions) {
      if (bootstrapFile === undefined) return;
      const path = bootstrapFile;
      const snapshot: FlagSnapshot = { flags: [...definitions] };
      const text = JSON.stringify(snapshot);
      // After the read, so what the file held is known before deciding to rewrite it.
      writing = writing
        .then(() => reading)
        .then(async () => {
          if (text === written) return;
          written = text;
          const io = await import('./bootstrap-file.js');
          await io.writeSnapshotFile(path, snapshot);
        })
        .catch(report);
    },

    async close() {
      await reading;
      await writing;
    },
  };
}
