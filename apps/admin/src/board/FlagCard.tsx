import { Badge } from '@stagegate/ui/badge';
import { cn } from '@stagegate/ui/cn';
import { TtlChip } from '@stagegate/ui/ttl-chip';
import { AlertTriangle, Ban, Users } from 'lucide-react';
import { percent } from '../lib/format.js';
import { Link } from '../lib/router.js';
import type { AdminFlag } from '../lib/trpc.js';
import { hasTtlWarning, TTL_WARNING_DAYS } from './boardModel.js';

export interface FlagCardProps {
  flag: AdminFlag;
  overrides: number;
  stale: string | undefined;
  selected: boolean;
  onSelect(selected: boolean): void;
  /** Viewers cannot act on a selection, so they get no checkbox. */
  selectable: boolean;
}

/** One flag on the board: what it is, who owns it, how far it is rolled out, and what needs attention, all in words. */
export function FlagCard({ flag, overrides, stale, selected, onSelect, selectable }: FlagCardProps) {
  const warning = hasTtlWarning(flag);
  return (
    <li
      data-flag={flag.key}
      className={cn(
        'flex flex-col gap-2 rounded-lg border bg-surface p-3 shadow-xs',
        warning ? 'border-amber-400 ring-1 ring-amber-400/60 dark:border-amber-600' : 'border-border',
        selected && 'outline-2 outline-primary',
      )}
    >
      <div className="flex items-start gap-2">
        {selectable && (
          <input
            type="checkbox"
            className="mt-1 size-4 accent-primary"
            aria-label={`Select ${flag.name}`}
            checked={selected}
            onChange={(event) => onSelect(event.target.checked)}
          />
        )}
        <div className="min-w-0 flex-1">
          <h3 className="font-semibold leading-tight">
            <Link to={`/flags/${flag.key}`} className="rounded hover:underline">
              {flag.name}
            </Link>
          </h3>
          <p className="truncate font-mono text-xs text-muted-foreground">{flag.key}</p>
        </div>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 text-xs">
        <dt className="text-muted-foreground">Owner</dt>
        <dd className="truncate">{flag.owner}</dd>
        <dt className="text-muted-foreground">Rollout</dt>
        <dd>{flag.enabled ? 'On for everyone (global)' : `${percent(flag.rolloutPercentage)} by ${flag.bucketBy}`}</dd>
      </dl>
      <div className="flex flex-wrap gap-1">
        {warning && (
          <Badge tone="warning">
            <AlertTriangle aria-hidden="true" /> TTL warning
          </Badge>
        )}
        <TtlChip daysRemaining={flag.daysRemaining} warnAtDays={flag.stage === 'ga' ? -1 : TTL_WARNING_DAYS} />
        {flag.kill && (
          <Badge tone="danger">
            <Ban aria-hidden="true" /> Killed
          </Badge>
        )}
        {stale && (
          <Badge tone="warning" title={stale}>
            <AlertTriangle aria-hidden="true" /> Stale
          </Badge>
        )}
        {overrides > 0 && (
          <Badge>
            <Users aria-hidden="true" /> {overrides} {overrides === 1 ? 'override' : 'overrides'}
          </Badge>
        )}
        {flag.adminOverride && <Badge tone="info">Forced {flag.adminOverride}</Badge>}
      </div>
      {stale && <p className="text-xs text-muted-foreground">{stale}</p>}
    </li>
  );
}
