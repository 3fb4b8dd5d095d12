// Runs the whole product on the embedded database: builds what is served, then the server (which
// migrates and seeds demo data on first start and prints the URLs and demo sign-in). Ctrl-C stops everything.
import { spawnSync } from 'node:child_process';
import { root, supervise } from './supervise.mjs';

// The web app and the operators' dashboard are built too: the server serves them same-origin at `/` and `/admin/` (its banner names both).
const build = spawnSync('pnpm', ['--filter', '@stagegate/web', '--filter', '@stagegate/admin', '--filter', '@stagegate/server', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
supervise([{ name: 'server', args: ['--filter', '@stagegate/server', 'start'] }]);
