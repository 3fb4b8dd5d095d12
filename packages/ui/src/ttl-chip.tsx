import { Clock } from 'lucide-react';
import { cn } from './cn.js';

export interface TtlChipProps {
  /** Days left of the stage's time-to-live; zero or less means it is overdue. */
  daysRemaining: number;
  /** At or below this many days the chip warns (the status API's TTL warnings use 14). */
  warnAtDays?: number;
  className?: string;
}

export function ttlLabel(daysRemaining: number): string {
  if (daysRemaining <= 0) return 'TTL expired';
  return daysRemaining === 1 ? '1 day left' : `${daysRemaining} days left`;
}

/** How long a flag may stay in its stage; the words carry the urgency, the colour only repeats it. */
export function TtlChip({ daysRemaining, warnAtDays = 14, className }: TtlChipProps) {
  const tone = daysRemaining <= 0 ? 'expired' : daysRemaining <= warnAtDays ? 'warning' : 'ok';
  return (
    <span
      data-tone={tone}
      className={cn(
        'inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium',
        tone === 'ok' && 'border-border text-muted-foreground',
        tone === 'warning' && 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100',
        tone === 'expired' && 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100',
        className,
      )}
    >
      <Clock aria-hidden="true" className="size-3" />
      {ttlLabel(daysRemaining)}
    </span>
  );
}
