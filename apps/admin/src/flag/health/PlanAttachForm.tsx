import { DEFAULT_PLAN_STEPS, PlanAttachInput } from '@stagegate/api/contract';
import { Field, Input, Select } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { serverFieldErrors } from '../../lib/errors.js';
import { FormActions } from '../../lib/FormActions.js';
import { optional, validate, type FieldErrors } from '../../lib/validate.js';

export type PlanAttach = z.input<typeof PlanAttachInput>;
type Unit = 'min' | 'h';

/** "0.1, 5 25" → [0.1, 5, 25]; a word that is not a number stays NaN so the schema names it. */
export const parseSteps = (text: string) =>
  text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map((part) => Number(part.replace(/%$/, '')));

/** A percentage typed by a person (5 or 5 %) as the 0–1 rate the API takes; NaN when it is not a number. */
const rateOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(/\s*%$/, '')) / 100);
const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim()));

export interface PlanAttachFormProps {
  flagKey: string;
  pending: boolean;
  error: unknown;
  onAttach(plan: PlanAttach): void;
}

/** Puts the flag's rollout on rails: steps (ADR-074's by default), each step's least time and calls, and the guard. Checked with PlanAttachInput. */
export function PlanAttachForm({ flagKey, pending, error, onAttach }: PlanAttachFormProps) {
  const [steps, setSteps] = useState(DEFAULT_PLAN_STEPS.join(', '));
  const [minStep, setMinStep] = useState('1');
  const [unit, setUnit] = useState<Unit>('h');
  const [minCalls, setMinCalls] = useState('100');
  const [maxErrorRate, setMaxErrorRate] = useState('5');
  const [margin, setMargin] = useState('1');
  const [onTrip, setOnTrip] = useState<'kill' | 'previous_step'>('kill');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const server = serverFieldErrors(error);
  const shown = { ...server, ...errors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const plan: PlanAttach = {
      key: flagKey,
      steps: parseSteps(steps),
      minStepSeconds: Math.round(numberOf(minStep) * (unit === 'h' ? 3600 : 60)),
      minCalls: numberOf(minCalls),
      maxErrorRate: rateOf(maxErrorRate),
      errorMargin: rateOf(margin),
      onTrip,
      reason: optional(reason),
    };
    const checked = validate(PlanAttachInput, plan);
    if (!checked.ok) {
      const next = { ...checked.errors };
      if (next.steps && /number|NaN/i.test(next.steps)) next.steps = 'Percentages separated by commas, e.g. 0.1, 5, 25, 50, 100';
      if (next.minStepSeconds) next.minStepSeconds = 'At least a minute, at most 30 days';
      if (next.minCalls) next.minCalls = 'A whole number of calls, 0 or more';
      if (next.maxErrorRate) next.maxErrorRate = 'A percentage from 0 to 100';
      if (next.errorMargin) next.errorMargin = 'A percentage from 0 to 100';
      return setErrors(next);
    }
    setErrors({});
    onAttach(plan);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Attach a release plan" className="grid gap-3 sm:grid-cols-2">
      <Field label="Steps (%)" error={shown.steps} hint="Each above the one before, ending at 100. ADR-074: 0.1, 5, 25, 50, 100." className="sm:col-span-2">
        <Input value={steps} onChange={(event) => setSteps(event.target.value)} inputMode="decimal" />
      </Field>
      <Field label="Least time per step" error={shown.minStepSeconds}>
        <div className="flex gap-2">
          <Input value={minStep} onChange={(event) => setMinStep(event.target.value)} inputMode="decimal" className="flex-1" />
          <Select aria-label="Unit" value={unit} onChange={(event) => setUnit(event.target.value as Unit)} className="w-28">
            <option value="min">minutes</option>
            <option value="h">hours</option>
          </Select>
        </div>
      </Field>
      <Field label="Least new-path calls per step" error={shown.minCalls} hint="Fewer than this: the step waits for samples.">
        <Input value={minCalls} onChange={(event) => setMinCalls(event.target.value)} inputMode="numeric" />
      </Field>
      <Field label="Max error rate on the new path (%)" error={shown.maxErrorRate}>
        <Input value={maxErrorRate} onChange={(event) => setMaxErrorRate(event.target.value)} inputMode="decimal" />
      </Field>
      <Field label="Margin over the legacy path (%)" error={shown.errorMargin} hint="The new path may be at most this much worse than legacy.">
        <Input value={margin} onChange={(event) => setMargin(event.target.value)} inputMode="decimal" />
      </Field>
      <Field label="When the guard trips" error={shown.onTrip}>
        <Select value={onTrip} onChange={(event) => setOnTrip(event.target.value as 'kill' | 'previous_step')}>
          <option value="kill">Kill the flag (off for everyone)</option>
          <option value="previous_step">Go back to the previous step</option>
        </Select>
      </Field>
      <Field label="Reason (optional)" error={shown.reason}>
        <Input value={reason} onChange={(event) => setReason(event.target.value)} placeholder="e.g. Phoenix pipeline, ADR-074" />
      </Field>
      <FormActions error={Object.keys(server).length === 0 ? error : null} pending={pending} label="Attach plan" pendingLabel="Attaching…" />
    </form>
  );
}
