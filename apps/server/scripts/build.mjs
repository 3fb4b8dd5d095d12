// Compiles the server to one ES module, dist/main.js, so production runs plain `node` rather than tsx.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundle } from '../../../scripts/bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await bundle(build, { entry: `${root}src/main.ts`, outfile: `${root}dist/main.js` });
