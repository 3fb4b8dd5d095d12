// Runs `pnpm <args>` for each part from the repo root; when one exits the rest are stopped, and Ctrl-C stops all.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** @param {Array<{ name: string, args: string[] }>} parts */
export function supervise(parts) {
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
    Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve))))).then(() =>
      process.exit(code),
    );
  }
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
}
