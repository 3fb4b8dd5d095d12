import type { z } from 'zod';
import { DomainError } from '../contract/errors.js';
import type { Stage } from '@stagegate/flags-core';
import type { FlagAnnotateInput, FlagBulkInput } from '../contract/inputs.js';
import { publicError } from '../errors.js';
import type { Services } from '../services.js';
import { archive, getFlag, setStage, updateFlag, type Actor } from './flagAdmin.js';

export interface BulkResult {
  done: string[];
  /** Each refused flag with the stable code and message it would have got alone. */
  refused: Array<{ key: string; code: string; message: string }>;
}

/** One change to many flags: each through the same write path (its own transaction, version and audit entry). */
export async function bulkChange(services: Services, actor: Actor, input: z.infer<typeof FlagBulkInput>): Promise<BulkResult> {
  const result: BulkResult = { done: [], refused: [] };
  for (const key of [...new Set(input.keys)]) {
    try {
      if (input.action === 'setStage') await setStage(services, actor, { key, stage: input.stage, reason: input.reason });
      else await archive(services, actor, { key, reason: input.reason });
      result.done.push(key);
    } catch (error) {
      // A database outage is not one flag's refusal: stop, and say what was already done.
      if (error instanceof DomainError && error.code === 'BUSY') throw error;
      const visible = publicError(error);
      result.refused.push({ key, code: visible.code, message: visible.message });
    }
  }
  return result;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface AnnotateResult {
  dryRun: boolean;
  /** Every flag of the file with what changes on it (empty: already so). */
  flags: Array<{ key: string; changes: FieldChange[] }>;
}

/**
 * Applies a metadata file to many flags. Every row is checked before anything is written (unknown
 * keys, duplicates): one bad row and nothing changes. A row's stage goes through setStage (which
 * restarts the TTL), the rest through update, each audited.
 */
export async function annotateFlags(services: Services, actor: Actor, input: z.infer<typeof FlagAnnotateInput>): Promise<AnnotateResult> {
  const keys = input.flags.map((row) => row.key);
  const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
  if (duplicate) throw new DomainError('VALIDATION_FAILED', `flags: "${duplicate}" appears twice`, { fieldErrors: { flags: [`"${duplicate}" appears twice`] } });
  const current = new Map((await Promise.all(keys.map((key) => getFlag(services, key).catch(() => undefined)))).filter((f) => f !== undefined).map((f) => [f.key, f]));
  const missing = keys.filter((key) => !current.has(key));
  if (missing.length > 0) throw new DomainError('FLAG_NOT_FOUND', `No flag ${missing.map((key) => `"${key}"`).join(', ')}: nothing was changed`);

  const plan = input.flags.map(({ key, ...wanted }) => {
    const before = current.get(key)! as unknown as Record<string, unknown>;
    const changes = Object.entries(wanted)
      .filter(([field, to]) => to !== undefined && before[field] !== to)
      .map(([field, to]) => ({ field, from: before[field], to }));
    return { key, changes };
  });
  if (input.dryRun) return { dryRun: true, flags: plan };
  for (const { key, changes } of plan) {
    const stage = changes.find((c) => c.field === 'stage');
    const metadata = Object.fromEntries(changes.filter((c) => c.field !== 'stage').map((c) => [c.field, c.to]));
    if (Object.keys(metadata).length > 0) await updateFlag(services, actor, { key, reason: input.reason, ...metadata });
    if (stage) await setStage(services, actor, { key, stage: stage.to as Stage, reason: input.reason });
  }
  return { dryRun: false, flags: plan };
}
