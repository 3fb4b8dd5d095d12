// Compiles the CLI to one executable ES module, dist/stagegate.js (the package's `stagegate` bin).
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundle } from '../../../scripts/bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}dist/stagegate.js`;
await bundle(build, { entry: `${root}src/main.ts`, outfile, banner: '#!/usr/bin/env node' });
await chmod(outfile, 0o755);
