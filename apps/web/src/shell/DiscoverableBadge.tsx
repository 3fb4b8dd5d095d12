import { StageBadge, type BadgeStage } from '@stagegate/ui/stage-badge';
import { useDiscovered } from './useDiscovered.js';

const isBadgeStage = (stage: string | undefined): stage is BadgeStage => stage === 'lab' || stage === 'alpha' || stage === 'beta';

/** A feature's stage badge that reports the first sighting; GA (or an unknown stage) shows nothing. */
export function DiscoverableBadge({ flagKey, stage, location, size }: { flagKey: string; stage: string | undefined; location: string; size?: 'sm' | 'md' }) {
  const badged = isBadgeStage(stage);
  useDiscovered(flagKey, location, badged);
  return badged ? <StageBadge stage={stage} size={size} /> : null;
}
