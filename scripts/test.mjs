// Runs every suite and prints one closing line `tests: N passed, M failed` computed from the
// runners' own JSON reports. The integration suites run twice: on embedded PGlite, and on a real
// PostgreSQL when one is reachable (STAGEGATE_TEST_PG, or the local server at 127.0.0.1:5432).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgres } from './postgres.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspaces = ['packages', 'apps', 'examples'].flatMap((dir) =>
  existsSync(path.join(root, dir)) ? readdirSync(path.join(root, dir)).map((name) => path.join(root, dir, name)) : [],
);
const results = [];

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return status === 0;
}

/** Typecheck and lint are gates, not tests: a failure fails the run but counts no test case. */
const gates = [];
function gate(label, command, args) {
  gates.push({ label, ok: run(label, command, args) });
}

/** Reads a vitest JSON report; a file that failed to load counts as one failed test. */
function readReport(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const brokenFiles = report.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0).length;
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles, skipped: report.numPendingTests + report.numTodoTests };
}

/** A Playwright JSON report: expected = passed, unexpected = failed, flaky counts as failed too. */
function readPlaywrightReport(file) {
  const { stats, errors } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: stats.expected, failed: stats.unexpected + stats.flaky + (errors?.length ?? 0), skipped: stats.skipped };
}

function collect(reportName, pass) {
  for (const dir of workspaces) {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const wants = pass === 'pg' ? pkg.scripts?.['test:pg'] : pkg.scripts?.test;
    if (!wants) continue;
    const file = path.join(dir, '.reports', reportName);
    const label = `${pkg.name} (${pass})`;
    if (!existsSync(file)) {
      results.push({ label, passed: 0, failed: 1, note: 'no report: the suite did not run to the end' });
      continue;
    }
    results.push({ label, ...readReport(file) });
  }
}

for (const dir of workspaces) rmSync(path.join(dir, '.reports'), { recursive: true, force: true });

gate('typecheck', 'pnpm', ['exec', 'turbo', 'run', 'typecheck', '--continue', '--output-logs=errors-only']);
gate('lint', 'pnpm', ['exec', 'eslint', '.']);

run('unit + integration on embedded PGlite', 'pnpm', ['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=1'], { STAGEGATE_TEST_PG: '' });
collect('vitest.json', 'pglite');

// Browser tests: each app built and driven in Debian's Chromium against the real server on a fresh
// embedded database (the dashboard's specs open the web app too, so it is built first).
const chromium = process.env.STAGEGATE_CHROMIUM ?? '/usr/bin/chromium';
for (const app of ['web', 'admin']) {
  const label = `@stagegate/${app} (e2e)`;
  const report = path.join(root, 'apps', app, '.reports', 'playwright.json');
  if (!existsSync(chromium)) {
    results.push({ label, passed: 0, failed: 1, note: `no Chromium at ${chromium}: apt-get install -y chromium` });
  } else if (!run(`${app} app build`, 'pnpm', ['--filter', `@stagegate/${app}`, 'build'])) {
    results.push({ label, passed: 0, failed: 1, note: `the ${app} app did not build` });
  } else {
    run(`${app} end-to-end in Chromium`, 'pnpm', ['--filter', `@stagegate/${app}`, 'e2e']);
    results.push({ label, ...(existsSync(report) ? readPlaywrightReport(report) : { passed: 0, failed: 1, note: 'no report: Playwright did not run to the end' }) });
  }
}

const pgUrl = await findPostgres();
if (pgUrl) {
  run(`integration on PostgreSQL (${pgUrl})`, 'pnpm', ['exec', 'turbo', 'run', 'test:pg', '--continue', '--concurrency=1'], { STAGEGATE_TEST_PG: pgUrl });
  collect('vitest-pg.json', 'pg');
} else {
  console.log('\n⚠ No PostgreSQL server reachable: the PostgreSQL pass did not run (set STAGEGATE_TEST_PG=postgres://… to run it; CI does).');
}

console.log('\ngate                                    result');
for (const g of gates) console.log(`${g.label.padEnd(40)}${g.ok ? 'ok' : 'FAILED'}`);
console.log('\nsuite                                   passed  failed  skipped');
for (const r of results) {
  console.log(`${r.label.padEnd(40)}${String(r.passed).padStart(6)}${String(r.failed).padStart(8)}${String(r.skipped ?? 0).padStart(9)}${r.note ? `  ${r.note}` : ''}`);
}
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed + (r.skipped ?? 0), 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && gates.every((g) => g.ok) ? 0 : 1);
