import { PlanControlInput } from '@stagegate/api/contract';
import { Badge } from '@stagegate/ui/badge';
import { Button } from '@stagegate/ui/button';
import { Field, Input } from '@stagegate/ui/field';
import { Check, CircleDot, Circle, Pause, Play, SkipForward, Square, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { RoleGate } from '../../auth/RoleGate.js';
import { useMayAct } from '../../auth/OperatorContext.js';
import { cn } from '@stagegate/ui/cn';
import { errorMessage } from '../../lib/errors.js';
import { formatDateTime } from '../../lib/format.js';
import { validate } from '../../lib/validate.js';
import { formatRate } from './healthModel.js';
import { formatDuration, PLAN_STATUS_LABELS, planAlarm, planWhy, STEP_MARK_LABELS, stepMarks, type ReleasePlan, type StepMark } from './planModel.js';

export type PlanAction = 'pause' | 'resume' | 'skip' | 'abort';

export interface ReleasePlanViewProps {
  plan: ReleasePlan;
  now: Date;
  pending: PlanAction | undefined;
  error: unknown;
  onControl(action: PlanAction, reason: string): void;
}

const MARK_STYLE: Record<StepMark, string> = {
  done: 'border-green-600 bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100',
  current: 'border-primary bg-primary/10 font-semibold',
  paused: 'border-amber-500 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100 font-semibold',
  tripped: 'border-danger bg-danger/10 font-semibold',
  stopped: 'border-border bg-muted font-semibold',
  next: 'border-dashed border-border text-muted-foreground',
};
const MARK_ICON: Record<StepMark, typeof Check> = { done: Check, current: CircleDot, paused: Pause, tripped: TriangleAlert, stopped: Square, next: Circle };
const TONE = { running: 'info', paused: 'warning', completed: 'success', rolled_back: 'danger', aborted: 'neutral' } as const;

/** A plan on its rails: the steps (done / where it stands / next), why it stands there, and an operator's hand on it. */
export function ReleasePlanView({ plan, now, pending, error, onControl }: ReleasePlanViewProps) {
  const marks = stepMarks(plan);
  const why = planWhy(plan, now);
  return (
    <div className="flex flex-col gap-4">
      {/* Not a live region: the page's PlanAlertBanner announces it once, whichever tab is open. */}
      {planAlarm(plan) && (
        <div data-testid="plan-alarm" className="flex gap-3 rounded-md border border-danger/50 bg-danger/5 px-4 py-3 text-sm">
          <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-danger" />
          <div className="flex flex-col gap-0.5">
            <strong>{why.headline}</strong>
            {why.detail && <span>{why.detail}</span>}
          </div>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={TONE[plan.status]}>{PLAN_STATUS_LABELS[plan.status]}</Badge>
        <span className="text-muted-foreground">
          Guard: new path ≤ {formatRate(plan.maxErrorRate)} and ≤ legacy + {formatRate(plan.errorMargin)}; each step ≥ {formatDuration(plan.minStepSeconds)} and ≥ {plan.minCalls.toLocaleString('en')} calls; on trip{' '}
          {plan.onTrip === 'kill' ? 'kill' : 'back one step'}.
        </span>
      </div>
      <ol aria-label="Plan steps" className="flex flex-wrap gap-2">
        {plan.steps.map((step, i) => {
          const mark = marks[i]!;
          const Icon = MARK_ICON[mark];
          return (
            <li key={step} aria-current={i === plan.currentStep ? 'step' : undefined} className={cn('flex min-w-24 flex-col rounded-md border px-3 py-2 text-sm', MARK_STYLE[mark])}>
              <span className="flex items-center gap-1.5 tabular-nums">
                <Icon aria-hidden="true" className="size-3.5" />
                {`${step} %`}
              </span>
              <span className="text-xs">{STEP_MARK_LABELS[mark]}</span>
            </li>
          );
        })}
      </ol>
      {!planAlarm(plan) && (
        <div data-testid="plan-why" className="flex flex-col gap-0.5 text-sm">
          <strong>{why.headline}</strong>
          {why.detail && <span className="text-muted-foreground">{why.detail}</span>}
        </div>
      )}
      <p className="text-xs text-muted-foreground">
        Attached by {plan.createdBy} on {formatDateTime(plan.createdAt)}; this step since {formatDateTime(plan.stepStartedAt)}.
        {plan.lastCheck && ` Last check ${formatDateTime(plan.lastCheck.at)}.`}
      </p>
      {(plan.status === 'running' || plan.status === 'paused') && <PlanControls status={plan.status} pending={pending} error={error} onControl={onControl} />}
    </div>
  );
}

function PlanControls({ status, pending, error, onControl }: { status: 'running' | 'paused'; pending: PlanAction | undefined; error: unknown; onControl(action: PlanAction, reason: string): void }) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const editor = useMayAct('editor');
  const act = (action: PlanAction) => {
    const checked = validate(PlanControlInput, { key: 'k', action, reason });
    if (!checked.ok) return setReasonError(`Say why you ${action} the plan: it goes in the audit log`);
    setReasonError(undefined);
    onControl(action, reason.trim());
  };
  const actions: Array<{ action: PlanAction; label: string; icon: typeof Play; variant: 'secondary' | 'danger' }> = [
    status === 'running' ? { action: 'pause', label: 'Pause', icon: Pause, variant: 'secondary' } : { action: 'resume', label: 'Resume', icon: Play, variant: 'secondary' },
    { action: 'skip', label: 'Skip to next step', icon: SkipForward, variant: 'secondary' },
    { action: 'abort', label: 'Abort plan', icon: Square, variant: 'danger' },
  ];
  return (
    <div className="flex flex-col gap-3 border-t border-border pt-3">
      <Field label="Reason for the change" error={reasonError} hint="Pause keeps the rollout as it is; skip moves on now; abort ends the plan (the rollout stays).">
        <Input value={reason} onChange={(event) => setReason(event.target.value)} disabled={!editor} placeholder="e.g. waiting for the 1.43 deploy" />
      </Field>
      <div className="flex flex-wrap gap-2">
        {actions.map(({ action, label, icon: Icon, variant }) => (
          <RoleGate role="editor" key={action}>
            <Button size="sm" variant={variant} disabled={pending !== undefined} onClick={() => act(action)}>
              <Icon aria-hidden="true" /> {pending === action ? `${label}…` : label}
            </Button>
          </RoleGate>
        ))}
      </div>
      {error !== null && error !== undefined && (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger/5 px-3 py-2 text-sm">
          {errorMessage(error)}
        </p>
      )}
    </div>
  );
}
