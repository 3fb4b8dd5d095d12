// `pnpm --filter @stagegate/db db:seed`: migrates, then seeds the demo data (refused in production).
import { openDatabase } from '../database.js';
import { migrate } from '../migrate.js';
import { seedDemo } from '../seed.js';

const db = await openDatabase();
try {
  await migrate(db);
  const result = await seedDemo(db);
  console.log(`${db.kind}: demo workspace seeded; flags created: ${result.createdFlags.join(', ') || 'none (all existed)'}`);
  console.log(`demo tokens: ${Object.entries(result.tokens).map(([who, token]) => `${who} ${token}`).join(', ')}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.close();
}
