import { ScheduleCreateInput } from '@stagegate/api/contract';
import { Field, Input, Select } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { serverFieldErrors } from '../../lib/errors.js';
import { FormActions } from '../../lib/FormActions.js';
import { STAGE_LABELS, STAGE_ORDER } from '../../lib/format.js';
import type { Stage } from '../../lib/trpc.js';
import { validate, type FieldErrors } from '../../lib/validate.js';

export type ScheduleCreate = z.input<typeof ScheduleCreateInput>;
type Action = ScheduleCreate['action'];

export const SCHEDULE_ACTION_LABELS: Record<Action, string> = { set_stage: 'Move to a stage', set_rollout: 'Set the rollout', kill: 'Kill', restore: 'Restore' };

/** A `datetime-local` value (the operator's local time, no zone) as the instant it names, in ISO; undefined when empty or not a time. */
export function localToIso(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export interface ScheduleFormProps {
  flagKey: string;
  pending: boolean;
  /** The server's refusal: per-field messages go under their fields, anything else above the button. */
  error: unknown;
  onSchedule(change: ScheduleCreate): void;
}

/** A stage, rollout, kill or restore at a date and time (entered in local time, sent as an instant), checked with ScheduleCreateInput. */
export function ScheduleForm({ flagKey, pending, error, onSchedule }: ScheduleFormProps) {
  const [action, setAction] = useState<Action>('set_rollout');
  const [stage, setStage] = useState<Stage>('ga');
  const [rollout, setRollout] = useState('');
  const [at, setAt] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const server = serverFieldErrors(error);
  const shown = { ...server, ...errors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const base = { key: flagKey, runAt: localToIso(at) ?? '', reason };
    const change: ScheduleCreate =
      action === 'set_stage'
        ? { ...base, action, stage }
        : action === 'set_rollout'
          ? { ...base, action, rolloutPercentage: rollout.trim() === '' ? Number.NaN : Number(rollout) }
          : { ...base, action };
    const checked = validate(ScheduleCreateInput, change);
    if (!checked.ok) {
      const next = { ...checked.errors };
      if (next.runAt) next.runAt = 'Pick a date and time';
      if (next.reason) next.reason = 'Say why: the audit log and whoever sees it run read this';
      if (next.rolloutPercentage) next.rolloutPercentage = 'A percentage from 0 to 100, at most two decimals';
      return setErrors(next);
    }
    setErrors({});
    onSchedule({ ...change, reason: reason.trim() });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Schedule a change" className="grid gap-3 sm:grid-cols-2">
      <Field label="Change" error={shown.action}>
        <Select value={action} onChange={(event) => setAction(event.target.value as Action)}>
          {(Object.keys(SCHEDULE_ACTION_LABELS) as Action[]).map((a) => (
            <option key={a} value={a}>
              {SCHEDULE_ACTION_LABELS[a]}
            </option>
          ))}
        </Select>
      </Field>
      {action === 'set_stage' && (
        <Field label="Stage" error={shown.stage}>
          <Select value={stage} onChange={(event) => setStage(event.target.value as Stage)}>
            {STAGE_ORDER.map((s) => (
              <option key={s} value={s}>
                {STAGE_LABELS[s]}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {action === 'set_rollout' && (
        <Field label="Rollout %" error={shown.rolloutPercentage}>
          <Input value={rollout} onChange={(event) => setRollout(event.target.value)} inputMode="decimal" placeholder="e.g. 25" />
        </Field>
      )}
      {(action === 'kill' || action === 'restore') && <div aria-hidden="true" className="hidden sm:block" />}
      <Field label="When (your local time)" error={shown.runAt} hint={`Sent as an instant; runs once at that time. Your time zone: ${Intl.DateTimeFormat().resolvedOptions().timeZone}.`}>
        <Input type="datetime-local" value={at} onChange={(event) => setAt(event.target.value)} />
      </Field>
      <Field label="Reason" error={shown.reason}>
        <Input value={reason} onChange={(event) => setReason(event.target.value)} placeholder="e.g. Monday's release" />
      </Field>
      <FormActions error={Object.keys(server).length === 0 ? error : null} pending={pending} label="Schedule change" pendingLabel="Scheduling…" />
    </form>
  );
}
