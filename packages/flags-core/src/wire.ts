/**
 * The SDK wire contract: what `/api/flags/snapshot`, `/api/flags/state` and the change streams
 * (SSE, database notifications) carry. Writers and readers of these payloads use these schemas.
 */
import { z } from 'zod';
import { FlagDefinition, FlagKey, UserState } from './schema.js';

/** The flag set as the snapshot endpoint serves it (and as a bootstrap file holds it). */
export const FlagSnapshot = z.object({
  flags: z.array(FlagDefinition),
  /** The snapshot's ETag, for revalidation; absent in a hand-made bootstrap. */
  etag: z.string().min(1).optional(),
});
export type FlagSnapshot = z.infer<typeof FlagSnapshot>;
/** A snapshot as JSON carries it: ISO strings where the parsed one has Dates. */
export type FlagSnapshotInput = z.input<typeof FlagSnapshot>;
export type FlagDefinitionInput = z.input<typeof FlagDefinition>;
export type UserStateInput = z.input<typeof UserState>;

const Id = z.string().min(1);

/** What a source tells its subscribers has changed. */
export type FlagChange =
  | { kind: 'flags' }
  | { kind: 'user'; userId: string; workspaceId?: string }
  /** A workspace's policy changed: every member's state in that workspace is stale. */
  | { kind: 'workspace'; workspaceId: string }
  /** The change stream may have missed events (e.g. it reconnected): drop everything. */
  | { kind: 'reset' };

/** A change event; a user change without a workspace (absent or null) concerns every workspace of that user. */
export const FlagChangeSchema: z.ZodType<FlagChange, unknown> = z.union([
  z.object({ kind: z.literal('flags') }),
  z.object({ kind: z.literal('reset') }),
  z.object({ kind: z.literal('workspace'), workspaceId: Id }),
  z
    .object({ kind: z.literal('user'), userId: Id, workspaceId: Id.nullish() })
    .transform(({ userId, workspaceId }): FlagChange => (workspaceId == null ? { kind: 'user', userId } : { kind: 'user', userId, workspaceId })),
]);

/** Reads one change payload (JSON text); null for anything that is not a change event. Never throws. */
export function parseChange(payload: string): FlagChange | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  const result = FlagChangeSchema.safeParse(value);
  return result.success ? result.data : null;
}

/** A flag a snapshot held that failed the schema: left out of the set, reported once per key and version. */
export class InvalidFlagError extends Error {
  override readonly name = 'InvalidFlagError';
  constructor(
    /** The flag's key when it had a readable one. */
    readonly key: string | undefined,
    readonly version: number | undefined,
    readonly issues: string,
  ) {
    super(`flag ${key === undefined ? '(no key)' : `"${key}"`} v${version ?? '?'} skipped: ${issues}`);
  }
}

const SnapshotEnvelope = z.object({ flags: z.array(z.unknown()), etag: z.string().min(1).optional() });
/** Just enough of a row to name it in a report. */
const RowName = z.object({ key: FlagKey.optional().catch(undefined), version: z.number().optional().catch(undefined) }).catch({});

export interface ReadSnapshot {
  snapshot: FlagSnapshot;
  /** Rows left out because they failed the schema. */
  invalid: InvalidFlagError[];
}

/**
 * Reads a snapshot flag by flag: one invalid row is left out (and returned in `invalid`) instead of
 * rejecting the whole set. Throws only when the payload is not a snapshot at all.
 */
export function readSnapshot(body: unknown): ReadSnapshot {
  const envelope = SnapshotEnvelope.parse(body);
  const flags: FlagDefinition[] = [];
  const invalid: InvalidFlagError[] = [];
  for (const row of envelope.flags) {
    const parsed = FlagDefinition.safeParse(row);
    if (parsed.success) flags.push(parsed.data);
    else {
      const { key, version } = RowName.parse(row);
      invalid.push(new InvalidFlagError(key, version, z.prettifyError(parsed.error).replaceAll('\n', ' ')));
    }
  }
  return { snapshot: envelope.etag === undefined ? { flags } : { flags, etag: envelope.etag }, invalid };
}
