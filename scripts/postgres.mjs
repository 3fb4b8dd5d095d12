// Finds a PostgreSQL server for the integration suites' second pass: STAGEGATE_TEST_PG when set,
// else the machine's own server on 127.0.0.1:5432 if it accepts the `postgres` user.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function findPostgres() {
  const candidate = process.env.STAGEGATE_TEST_PG || LOCAL;
  // Ask through the db package's own `pg` driver, so no client needs to be installed.
  const probe = spawnSync(
    process.execPath,
    ['-e', `const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1],connectionTimeoutMillis:2000});c.connect().then(()=>c.query('select 1')).then(()=>process.exit(0),()=>process.exit(1))`, candidate],
    { cwd: fileURLToPath(new URL('../packages/db', import.meta.url)), stdio: 'ignore', timeout: 5000 },
  );
  return probe.status === 0 ? candidate : null;
}
