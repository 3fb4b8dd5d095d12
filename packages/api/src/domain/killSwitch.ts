import { toFlagData, toFlagDefinition, type FlagAdminRow, type FlagDefinitionRow } from '@stagegate/db';
import { fail } from '../errors.js';
import type { Services } from '../services.js';
import { enqueueWebhook } from '../webhooks.js';
import type { AuditAction } from './audit.js';
import { inStatement, sqlTimestamp, type Tx } from './transaction.js';

/** What the kill switch writes: the three kill columns (a CHECK keeps them set together). */
export type KillColumns = Pick<FlagAdminRow, 'killReason' | 'killedAt' | 'killedBy'>;
export type KillSwitchChange = (before: FlagDefinitionRow, now: Date) => KillColumns;
export type KillSwitchEvent = 'flag.killed' | 'flag.restored';
/** Who pulls the switch (an operator, the schedule, the guard), as the audit log names them. */
type Actor = { email: string };
/** A kill or restore as flagAdmin's FlagWrite has it; the reason is required. */
interface KillSwitchWrite {
  key: string;
  expectedVersion?: number | undefined;
  reason: string;
  action: AuditAction;
}

/** The kill switch's change, for every hand on it (operator, schedule, guard): refused when already killed. */
export const killChange =
  (reason: string, by: Actor): KillSwitchChange =>
  (before, now) => {
    if (before.killedAt) fail('CONFLICT', `Flag "${before.key}" is already killed (${before.killReason ?? 'no reason'})`);
    return { killReason: reason, killedAt: now, killedBy: by.email };
  };

/** Restoring a killed flag: refused when it is not killed. */
export const restoreChange: KillSwitchChange = (before) => {
  if (!before.killedAt) fail('CONFLICT', `Flag "${before.key}" is not killed`);
  return { killReason: null, killedAt: null, killedBy: null };
};

/** A kill's or restore's webhook payload: which flag, who, why, and the version it left. */
const killWebhookPayload = (by: Actor, reason: string, after: Pick<FlagAdminRow, 'key' | 'version'>, now: Date) => ({ flag: after.key, reason, by: by.email, version: after.version, at: now.toISOString() });

/** A kill's or restore's webhook, as one outbox row in its transaction (never a wait on the network). */
export const enqueueKillWebhook = (tx: Tx, services: Services, event: KillSwitchEvent, by: Actor, reason: string, after: FlagAdminRow, now: Date) =>
  enqueueWebhook(tx, services, event, killWebhookPayload(by, reason, after, now));

/**
 * The kill switch's fast path, for a burst that keeps the event loop busy: each database round trip
 * waits a loop turn (20–50 ms under 2,000 toggles), and the locked path takes seven (BEGIN, lock,
 * read, update, audit, plan, COMMIT). This takes one. The row before is the one this process's flag
 * set holds (kept current by change notifications), and one statement writes the kill columns, the
 * audit entry and the webhook's outbox row together only if the row still has that version (the
 * version counts every change, SQL edits too, so the same version is the same row) and no release
 * plan is running on the flag (pausing one is the locked path's work). Returns the row after, or
 * undefined when any of that does not hold or the change refuses: then the caller takes the locked
 * path, which decides exactly (CONFLICT, FLAG_NOT_FOUND, a plan to pause).
 */
export async function switchKillInOneStatement(
  services: Services,
  actor: Actor,
  write: KillSwitchWrite,
  change: KillSwitchChange,
  event: KillSwitchEvent,
  now: Date,
): Promise<FlagAdminRow | undefined> {
  const installed = services.flags.flagSetSync();
  const definition = installed?.from === 'source' ? installed.definitions.find((flag) => flag.key === write.key) : undefined;
  if (!definition || (write.expectedVersion !== undefined && definition.version !== write.expectedVersion)) return undefined;
  const before = toFlagData(definition);
  let columns: KillColumns;
  try {
    columns = change(before, now);
  } catch {
    return undefined;
  }
  const after: FlagDefinitionRow = { ...before, ...columns, version: before.version + 1 };
  const json = (value: object) => JSON.stringify(value);
  const webhook = services.webhooks.url === undefined ? null : json(killWebhookPayload(actor, write.reason, after, now));
  const written = await inStatement(
    services,
    () => services.db.priority.$queryRaw<Array<{ created_at: Date }>>`
      WITH updated AS (
        UPDATE flags SET kill_reason = ${columns.killReason}, killed_at = ${columns.killedAt ? sqlTimestamp(columns.killedAt) : null},
          killed_by = ${columns.killedBy}, version = ${after.version}, updated_at = ${sqlTimestamp(now)}
        WHERE key = ${write.key} AND version = ${before.version}
          AND NOT EXISTS (SELECT 1 FROM release_plans WHERE flag_key = ${write.key} AND status = 'running')
        RETURNING key, created_at
      ), audited AS (
        INSERT INTO audit_log (at, actor, action, flag_key, before, after, reason)
        SELECT ${sqlTimestamp(now)}, ${actor.email}, ${write.action}, key, ${json(toFlagDefinition(before))}::jsonb, ${json(toFlagDefinition(after))}::jsonb, ${write.reason}
        FROM updated
      ), enqueued AS (
        INSERT INTO webhook_deliveries (event, payload, created_at, next_attempt_at)
        SELECT ${event}, ${webhook}::jsonb, ${sqlTimestamp(now)}, ${sqlTimestamp(now)} FROM updated WHERE ${webhook}::jsonb IS NOT NULL
      )
      SELECT created_at FROM updated`,
  );
  return written[0] && { ...after, createdAt: written[0].created_at, updatedAt: now };
}
