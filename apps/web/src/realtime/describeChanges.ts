import { STAGE_CONFIG } from '@stagegate/ui/stage-badge';
import type { BetaFeature } from '../lib/trpc.js';

/**
 * What changed in the user's beta list that they did not do themselves, in words for a toast.
 * Their own toggles never show up here: the optimistic update already put them in `before`.
 */
export function describeChanges(before: readonly BetaFeature[], after: readonly BetaFeature[]): string[] {
  const was = new Map(before.map((f) => [f.key, f]));
  const now = new Map(after.map((f) => [f.key, f]));
  const messages: string[] = [];
  for (const old of before) if (!now.has(old.key)) messages.push(`${old.name} is no longer available`);
  for (const feature of after) {
    const old = was.get(feature.key);
    if (!old) {
      messages.push(`${feature.name} is now available to try`);
      continue;
    }
    if (old.stage !== feature.stage) messages.push(`${feature.name} moved to ${STAGE_CONFIG[feature.stage].label}`);
    if (old.enabled !== feature.enabled) {
      const state = feature.enabled ? 'on' : 'off';
      if (feature.reason === 'WORKSPACE_OPT_IN') messages.push(`${feature.name} was switched on for your workspace`);
      else if (feature.reason === 'USER_OVERRIDE') messages.push(`An administrator switched ${feature.name} ${state} for you`);
      else messages.push(`${feature.name} is now ${state}`);
    }
  }
  return messages;
}
