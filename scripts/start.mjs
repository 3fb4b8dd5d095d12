// Runs the whole product on the embedded database: builds what is served, then the server (which
// migrates and seeds demo data on first start and prints the URLs and demo sign-in). Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The web app and the operators' dashboard are built too: the server serves them same-origin at `/` and `/admin/` (its banner names both).
const build = spawnSync('pnpm', ['--filter', '@stagegate/web', '--filter', '@stagegate/admin', '--filter', '@stagegate/server', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const parts = [{ name: 'server', args: ['--filter', '@stagegate/server', 'start'] }];

const children = parts.map(({ name, args }) => {
  const child = spawn('pnpm', args, { cwd: root, stdio: 'inherit', env: process.env });
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${name} exited (${code}); stopping`);
      stop(code ?? 1);
    }
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve))))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
