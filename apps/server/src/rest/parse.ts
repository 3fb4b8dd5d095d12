import { validationError } from '@stagegate/api';
import type { ZodType } from 'zod';

/** Parses a request part with a zod schema; a failure is VALIDATION_FAILED with the fields named. */
export function parse<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
