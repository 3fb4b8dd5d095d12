import type { z } from 'zod';
import { DomainError } from '../contract/errors.js';
import type { FlagBulkInput } from '../contract/inputs.js';
import { publicError } from '../errors.js';
import type { Services } from '../services.js';
import { archive, setStage, type Actor } from './flagAdmin.js';

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
