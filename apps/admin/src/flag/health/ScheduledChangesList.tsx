import type { RouterOutputs } from '@stagegate/api';
import { Badge, type BadgeProps } from '@stagegate/ui/badge';
import { Button } from '@stagegate/ui/button';
import { useState } from 'react';
import { RoleGate } from '../../auth/RoleGate.js';
import { formatDateTime, percent, STAGE_LABELS } from '../../lib/format.js';

export type ScheduledChange = RouterOutputs['admin']['schedule']['list'][number];

const STATUS: Record<ScheduledChange['status'], { label: string; tone: BadgeProps['tone'] }> = {
  pending: { label: 'Pending', tone: 'info' },
  done: { label: 'Done', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

/** What a scheduled change does, in words. */
export function describeChange(change: Pick<ScheduledChange, 'action' | 'stage' | 'rolloutPercentage'>): string {
  switch (change.action) {
    case 'set_stage':
      return `Move to ${change.stage ? STAGE_LABELS[change.stage] : 'a stage'}`;
    case 'set_rollout':
      return `Rollout to ${percent(change.rolloutPercentage ?? 0)}`;
    case 'kill':
      return 'Kill';
    case 'restore':
      return 'Restore';
  }
}

export interface ScheduledChangesListProps {
  changes: readonly ScheduledChange[];
  cancelling: number | undefined;
  onCancel(id: number): void;
}

/** The flag's scheduled changes, soonest first: what, when, who, how it went; a pending one can be cancelled (two clicks). */
export function ScheduledChangesList({ changes, cancelling, onCancel }: ScheduledChangesListProps) {
  const [confirming, setConfirming] = useState<number>();
  if (changes.length === 0) return <p className="text-sm text-muted-foreground">Nothing scheduled for this flag.</p>;
  return (
    <ul aria-label="Scheduled changes" className="flex flex-col divide-y divide-border rounded-md border border-border">
      {changes.map((change) => (
        <li key={change.id} className="flex flex-wrap items-start justify-between gap-3 px-3 py-2.5 text-sm">
          <div className="flex min-w-0 flex-col gap-0.5">
            <div className="flex flex-wrap items-center gap-2">
              <strong>{describeChange(change)}</strong>
              <Badge tone={STATUS[change.status].tone}>{STATUS[change.status].label}</Badge>
            </div>
            <span className="text-muted-foreground">
              {change.status === 'pending' ? 'Runs' : 'Was due'} {formatDateTime(change.runAt)} · by {change.createdBy}
              {change.executedAt && ` · ran ${formatDateTime(change.executedAt)}`}
            </span>
            <span className="break-words">“{change.reason}”</span>
            {change.error && <span className="text-danger">Failed: {change.error}</span>}
          </div>
          {change.status === 'pending' &&
            (confirming === change.id ? (
              <div className="flex gap-2">
                <Button size="sm" variant="ghost" onClick={() => setConfirming(undefined)}>
                  Keep
                </Button>
                <Button size="sm" variant="danger" disabled={cancelling === change.id} onClick={() => onCancel(change.id)}>
                  {cancelling === change.id ? 'Cancelling…' : 'Yes, cancel it'}
                </Button>
              </div>
            ) : (
              <RoleGate role="editor">
                <Button size="sm" variant="secondary" aria-label={`Cancel: ${describeChange(change)} at ${formatDateTime(change.runAt)}`} onClick={() => setConfirming(change.id)}>
                  Cancel
                </Button>
              </RoleGate>
            ))}
        </li>
      ))}
    </ul>
  );
}
