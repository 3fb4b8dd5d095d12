// Development: the API (tsx, embedded database, demo data) on :3000 and Vite with hot reload for
// the web app on :5173 and the dashboard on :5174/admin/, both proxying /trpc, /auth and /api to it. Ctrl-C stops all three.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const parts = [
  { name: 'server', args: ['--filter', '@stagegate/server', 'dev'] },
  { name: 'web', args: ['--filter', '@stagegate/web', 'dev'] },
  { name: 'admin', args: ['--filter', '@stagegate/admin', 'dev'] },
];

let stopping = false;
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

function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
