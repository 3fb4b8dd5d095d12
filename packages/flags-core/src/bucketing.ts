import { sha1Prefix60 } from './sha1.js';
import type { FlagDefinition } from './schema.js';

// PostHog's own constant, written as PostHog writes it: it rounds to 2^60, and matching that rounding is the point.
// eslint-disable-next-line no-loss-of-precision
const LONG_SCALE = 0xfffffffffffffff;

/**
 * PostHog's rollout hash: the first 15 hex digits of sha1(`${flagKey}.${bucketingId}${salt}`) as a
 * fraction of 0xfffffffffffffff. Sharing it means a flag moved between PostHog and Stagegate keeps
 * exactly the same users in its rollout.
 */
export function rolloutHash(flagKey: string, bucketingId: string, salt = ''): number {
  return sha1Prefix60(flagKey, '.', bucketingId, salt) / LONG_SCALE;
}

/** The id a flag buckets by: the user, or the whole workspace. */
export function bucketingId(flag: Pick<FlagDefinition, 'bucketBy'>, userId: string, workspaceId: string): string {
  return flag.bucketBy === 'workspace' ? workspaceId : userId;
}

export function isInRollout(flagKey: string, id: string, rolloutPercentage: number): boolean {
  // The hash never exceeds 1, so at 100 % it need not be computed (a fully rolled-out flag is common).
  if (rolloutPercentage >= 100) return true;
  return rolloutPercentage > 0 && rolloutHash(flagKey, id) <= rolloutPercentage / 100;
}
