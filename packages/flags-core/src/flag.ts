import { FlagDefinition } from './schema.js';

/** What a new flag is until someone says otherwise (the database's column defaults say the same). */
export const FLAG_DEFAULTS = Object.freeze({
  description: '',
  kbArticle: null,
  category: '',
  enabled: false,
  rolloutPercentage: 0,
  bucketBy: 'user',
  adminOverride: null,
  kill: null,
  archived: false,
  version: 1,
} as const satisfies Partial<FlagDefinition>);

/** The fields a new flag has no default for. */
export type NewFlagFields = Pick<FlagDefinition, 'key' | 'name' | 'stage' | 'ttlStart' | 'ttlDays' | 'owner'> & Partial<FlagDefinition>;

/**
 * A FlagDefinition from its required metadata, FLAG_DEFAULTS for the rest unless `fields` says
 * otherwise. It goes through the schema, so a flag the product could never store throws here.
 */
export function newFlag(fields: NewFlagFields): FlagDefinition {
  return FlagDefinition.parse({ ...FLAG_DEFAULTS, ...fields });
}
