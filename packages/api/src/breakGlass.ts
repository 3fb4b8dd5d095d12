import type { Database } from '@stagegate/db';
import { createAnalytics } from './analytics/posthog.js';
import { FlagKillInput, FlagRestoreInput } from './contract/inputs.js';
import { createServices } from './createServices.js';
import { kill, restore, type AdminFlag } from './domain/flagAdmin.js';
import { validationError } from './errors.js';

export interface BreakGlassChange {
  action: 'kill' | 'restore';
  key: string;
  reason: string;
}

/**
 * The kill switch (or its undo) when the API is down: the same validation, write path, version bump
 * and audit entry as `admin.flags.kill`, run in this process against the database; running API
 * processes and SDKs hear of it through the database's change notification. The audit names
 * `break-glass:<who>`.
 */
export async function breakGlass(db: Database, change: BreakGlassChange, who: string): Promise<AdminFlag> {
  const schema = change.action === 'kill' ? FlagKillInput : FlagRestoreInput;
  const parsed = schema.safeParse({ key: change.key, reason: change.reason });
  if (!parsed.success) throw validationError(parsed.error);
  const services = createServices({ db, analytics: createAnalytics({ apiKey: undefined, log: () => undefined }) });
  try {
    const actor = { email: `break-glass:${who}` };
    return await (change.action === 'kill' ? kill(services, actor, parsed.data) : restore(services, actor, parsed.data));
  } finally {
    await services.close();
  }
}
