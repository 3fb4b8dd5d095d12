// `pnpm --filter @stagegate/db db:migrate`: migrates DATABASE_URL, or the embedded database when unset.
import { openDatabase } from '../database.js';
import { migrate } from '../migrate.js';

const db = await openDatabase();
try {
  const { applied, alreadyApplied } = await migrate(db, { log: (line) => console.log(line) });
  console.log(`${db.kind}: ${applied.length} migration(s) applied, ${alreadyApplied.length} already applied`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.close();
}
