import { trpc } from '../lib/trpc.js';
import { GATED_KEYS } from './gatedPages.js';

export interface Gate {
  enabled: boolean;
  stage: string | undefined;
}

/** The gated pages' flags for this user, keyed by flag; a flag not (yet) known is off. */
export function useGates(): { gates: Record<string, Gate>; isPending: boolean } {
  const evaluation = trpc.flags.evaluate.useQuery({ keys: [...GATED_KEYS] });
  const gates: Record<string, Gate> = {};
  for (const resolution of evaluation.data?.resolutions ?? []) gates[resolution.key] = { enabled: resolution.enabled, stage: resolution.stage ?? undefined };
  return { gates, isPending: evaluation.isPending };
}
