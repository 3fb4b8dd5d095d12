import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

/** The contract's own schema run in the browser: the first message per top-level field, or the parsed value. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'form';
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Form text to input: an empty optional field is left out, not sent as "". */
export const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());
