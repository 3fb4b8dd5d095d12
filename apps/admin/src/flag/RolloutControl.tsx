import { FlagSetRolloutInput } from '@stagegate/api/contract';
import { Button } from '@stagegate/ui/button';
import { Field, Input, Select } from '@stagegate/ui/field';
import { Slider } from '@stagegate/ui/slider';
import { useState, type FormEvent } from 'react';
import { RoleGate } from '../auth/RoleGate.js';
import { percent } from '../lib/format.js';
import type { AdminFlag } from '../lib/trpc.js';

/** ADR-074's rollout steps. */
export const PRESETS = [0.1, 5, 25, 50, 100] as const;

export type BucketBy = AdminFlag['bucketBy'];

const RolloutPercentage = FlagSetRolloutInput.shape.rolloutPercentage;

export interface RolloutControlProps {
  flag: Pick<AdminFlag, 'rolloutPercentage' | 'bucketBy'>;
  pending: boolean;
  /** How many known users / workspaces the draft percentage reaches, once known. */
  reach: { inRollout: number; total: number } | undefined;
  onDraftChange(draft: { percentage: number; bucketBy: BucketBy }): void;
  onSave(draft: { percentage: number; bucketBy: BucketBy; note: string | undefined }): void;
}

/** A slider with the ADR's presets and an exact field, bucket by user or workspace, and the reach before saving. */
export function RolloutControl({ flag, pending, reach, onDraftChange, onSave }: RolloutControlProps) {
  const [percentage, setPercentage] = useState(flag.rolloutPercentage);
  const [exact, setExact] = useState(String(flag.rolloutPercentage));
  const [bucketBy, setBucketBy] = useState<BucketBy>(flag.bucketBy);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const changed = percentage !== flag.rolloutPercentage || bucketBy !== flag.bucketBy;

  const draftAt = (next: number) => {
    setPercentage(next);
    setError(undefined);
    onDraftChange({ percentage: next, bucketBy });
  };
  const choose = (next: number) => {
    setExact(String(next));
    draftAt(next);
  };
  // The field keeps what was typed ("0." on the way to "0.1"); only the draft takes the number.
  const typeExact = (text: string) => {
    setExact(text);
    const parsed = RolloutPercentage.safeParse(text.trim() === '' ? Number.NaN : Number(text));
    if (!parsed.success) return setError('A percentage from 0 to 100, at most two decimals');
    draftAt(parsed.data);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!error) onSave({ percentage, bucketBy, note: note.trim() || undefined });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Rollout">
      <p className="text-sm">
        Now <strong>{percent(flag.rolloutPercentage)}</strong> of {flag.bucketBy === 'user' ? 'users' : 'workspaces'}.
      </p>
      <Slider label="Rollout percentage" value={percentage} min={0} max={100} step={1} valueText={percent} onValueChange={(value) => choose(value)} />
      <div className="flex flex-wrap items-end gap-2">
        <div role="group" aria-label="Rollout presets (ADR-074)" className="flex flex-wrap gap-1">
          {PRESETS.map((preset) => (
            <Button key={preset} size="sm" variant={percentage === preset ? 'primary' : 'secondary'} aria-pressed={percentage === preset} onClick={() => choose(preset)}>
              {percent(preset)}
            </Button>
          ))}
        </div>
        <Field label="Exact %" error={error} className="w-28">
          <Input value={exact} inputMode="decimal" onChange={(event) => typeExact(event.target.value)} />
        </Field>
        <Field label="Bucket by" className="w-40">
          <Select
            value={bucketBy}
            onChange={(event) => {
              const by = event.target.value as BucketBy;
              setBucketBy(by);
              onDraftChange({ percentage, bucketBy: by });
            }}
          >
            <option value="user">User</option>
            <option value="workspace">Workspace</option>
          </Select>
        </Field>
      </div>
      <p className="text-sm" aria-live="polite">
        {reach
          ? `At ${percent(percentage)}: ${reach.inRollout} of ${reach.total} known ${bucketBy === 'user' ? 'users' : 'workspaces'} are in.`
          : `Working out who ${percent(percentage)} reaches…`}
      </p>
      <Field label="Note (optional)">
        <Input value={note} onChange={(event) => setNote(event.target.value)} placeholder="e.g. ADR-074 step 3: error rate flat at 5 %" />
      </Field>
      <div>
        <RoleGate role="editor">
          <Button type="submit" disabled={pending || !changed || !!error}>
            {pending ? 'Saving…' : `Set rollout to ${percent(percentage)}`}
          </Button>
        </RoleGate>
      </div>
    </form>
  );
}
