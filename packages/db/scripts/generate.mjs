// `prisma generate` needs no schema engine, but the CLI downloads one at start unless told where one
// is; no host but the npm registry is reachable here, so point it at any file to skip the download.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('..', import.meta.url));
execFileSync('pnpm', ['exec', 'prisma', 'generate'], {
  cwd,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
