import { userInfo } from 'node:os';
import { breakGlass, type BreakGlassChange } from '@stagegate/api/break-glass';
import { openDatabase } from '@stagegate/db';

/** Opens the database named on the command line, makes the one change, closes. */
export async function breakGlassChange(target: { url?: string | undefined; pgliteDir?: string | undefined }, change: BreakGlassChange) {
  const db = await openDatabase(target.url ? { url: target.url } : { url: undefined, dataDir: target.pgliteDir! });
  try {
    return await breakGlass(db, change, userInfo().username);
  } finally {
    await db.close();
  }
}
