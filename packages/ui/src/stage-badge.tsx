import { cva } from 'class-variance-authority';
import { cn } from './cn.js';
import { Tooltip } from './tooltip.js';

/** The stages a user can be shown as not-yet-released; GA carries no badge. */
export type BadgeStage = 'lab' | 'alpha' | 'beta';

/** The spec's table: label, emoji and colour per stage. */
export const STAGE_CONFIG: Record<BadgeStage, { label: string; emoji: string }> = {
  lab: { label: 'Experimental', emoji: '🧪' },
  alpha: { label: 'Alpha', emoji: '🔷' },
  beta: { label: 'Beta', emoji: '🟡' },
};

const badge = cva('inline-flex items-center gap-1 rounded-full font-medium whitespace-nowrap', {
  variants: {
    stage: {
      lab: 'bg-purple-100 text-purple-800 dark:bg-purple-900 dark:text-purple-100',
      alpha: 'bg-blue-100 text-blue-800 dark:bg-blue-900 dark:text-blue-100',
      beta: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100',
    },
    size: { sm: 'px-2 py-0.5 text-xs', md: 'px-3 py-1 text-sm' },
  },
});

export interface StageBadgeProps {
  stage: BadgeStage;
  size?: 'sm' | 'md';
  showEmoji?: boolean;
  className?: string;
}

export const stageTooltip = (stage: BadgeStage) => `This feature is in ${stage}. Some things may change.`;

/** The stage in words (never colour alone), with the spec's tooltip on hover and keyboard focus. */
export function StageBadge({ stage, size = 'sm', showEmoji = true, className }: StageBadgeProps) {
  const config = STAGE_CONFIG[stage];
  return (
    <Tooltip content={stageTooltip(stage)}>
      <span tabIndex={0} data-stage={stage} className={cn(badge({ stage, size }), className)}>
        {showEmoji && <span aria-hidden="true">{config.emoji}</span>}
        {config.label}
      </span>
    </Tooltip>
  );
}
