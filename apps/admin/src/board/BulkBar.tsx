import { FlagBulkInput } from '@stagegate/api/contract';
import { Button } from '@stagegate/ui/button';
import { Field, Input, Select } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import { STAGE_LABELS, STAGE_ORDER } from '../lib/format.js';
import type { Stage } from '../lib/trpc.js';
import { validate, type FieldErrors } from '../lib/validate.js';

export type BulkRequest = { action: 'setStage'; keys: string[]; stage: Stage; reason: string } | { action: 'archive'; keys: string[]; reason: string };

export interface BulkBarProps {
  keys: readonly string[];
  pending: boolean;
  onApply(request: BulkRequest): void;
  onClear(): void;
}

/** One change to the selected flags with one reason; each flag gets its own audit entry on the server. */
export function BulkBar({ keys, pending, onApply, onClear }: BulkBarProps) {
  const [action, setAction] = useState<'setStage' | 'archive'>('setStage');
  const [stage, setStage] = useState<Stage>('beta');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request = action === 'setStage' ? { action, keys: [...keys], stage, reason } : { action, keys: [...keys], reason };
    const checked = validate(FlagBulkInput, request);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    onApply(request);
  };

  return (
    <form
      onSubmit={submit}
      aria-label="Bulk change"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-primary/40 bg-surface p-3 shadow-sm"
    >
      <p className="w-full text-sm font-medium sm:w-auto sm:self-center" aria-live="polite">
        {keys.length} {keys.length === 1 ? 'flag' : 'flags'} selected
      </p>
      <Field label="Change">
        <Select value={action} onChange={(event) => setAction(event.target.value as 'setStage' | 'archive')}>
          <option value="setStage">Move to stage</option>
          <option value="archive">Archive</option>
        </Select>
      </Field>
      {action === 'setStage' && (
        <Field label="Stage">
          <Select value={stage} onChange={(event) => setStage(event.target.value as Stage)}>
            {STAGE_ORDER.map((s) => (
              <option key={s} value={s}>
                {STAGE_LABELS[s]}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field label="Reason" error={errors.reason} className="min-w-48 flex-1">
        <Input value={reason} onChange={(event) => setReason(event.target.value)} placeholder="Goes in every flag's audit entry" />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Applying…' : `Apply to ${keys.length}`}
        </Button>
        <Button variant="ghost" onClick={onClear}>
          Clear selection
        </Button>
      </div>
    </form>
  );
}

/** The result toast's sentence: how many were done, how many refused and why. */
export function describeBulk(result: { done: string[]; refused: Array<{ key: string; message: string }> }): { title: string; description?: string } {
  const done = `${result.done.length} done`;
  if (result.refused.length === 0) return { title: `${done}, 0 refused` };
  return { title: `${done}, ${result.refused.length} refused`, description: result.refused.map((r) => `${r.key}: ${r.message}`).join('; ') };
}
