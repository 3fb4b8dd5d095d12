import type { CompiledFlag, FlagSet, UserEntry } from './flag-cache.js';
import { evaluateFlag } from './resolver.js';
import { REASONS, type EvaluationContext, type FlagDefinition, type FlagResolution, type Reason, type Stage } from './schema.js';

/**
 * A memo of the resolver's answers per (cached user state, flag). SHA-1 bucketing dominates an
 * evaluation, and a service asks about the same users' flags over and over, so each answer is kept
 * as one byte — ((reason index << 1) | enabled) + 1, with 0 for "not decided yet" — costing at most
 * maxUsers × flags bytes. The memo lives in the user entry and is tied to one flag set, so reloading
 * either starts it afresh; answers that depend on the time (an override with an expiry) are not kept.
 */
const REASON_INDEX = new Map<Reason, number>(REASONS.map((reason, index) => [reason, index]));

export const encode = (resolution: FlagResolution): number => ((REASON_INDEX.get(resolution.reason)! << 1) | (resolution.enabled ? 1 : 0)) + 1;

export const isOn = (decision: number): boolean => ((decision - 1) & 1) === 1;

export function resolutionOf(decision: number, flag: FlagDefinition): FlagResolution {
  return decodeResolution(decision, flag.key, flag.stage);
}

export function decodeResolution(decision: number, key: string, stage: Stage | null): FlagResolution {
  const value = decision - 1;
  return { key, enabled: (value & 1) === 1, reason: REASONS[value >> 1]!, stage };
}

/** The decision for one flag and one user's cached state; `now` stands in for a context without one. */
export function decide(flag: CompiledFlag, flags: FlagSet, user: UserEntry, ctx: EvaluationContext, now: number): number {
  let decisions = user.decisions;
  if (decisions === undefined || user.decidedFor !== flags) {
    decisions = user.decisions = new Uint8Array(flags.slots);
    user.decidedFor = flags;
  }
  const known = decisions[flag.slot]!;
  if (known !== 0) return known;

  const { definition } = flag;
  const override = user.state.overrides[definition.key];
  const timeless = override === undefined || override.expiresAt === null;
  // The resolver reads `now` only for an override's expiry, so the Date is built only then.
  const resolution = evaluateFlag(definition, user.state, timeless || ctx.now !== undefined ? ctx : { ...ctx, now: new Date(now) });
  const decision = encode(resolution);
  if (timeless) decisions[flag.slot] = decision;
  return decision;
}
