import { Button } from '@stagegate/ui/button';
import { Field, Input } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import { RoleGate } from '../auth/RoleGate.js';
import { STAGE_LABELS, STAGE_ORDER } from '../lib/format.js';
import type { AdminFlag, Stage } from '../lib/trpc.js';

export interface StageControlProps {
  flag: Pick<AdminFlag, 'stage' | 'daysRemaining' | 'ttlDays'>;
  pending: boolean;
  onMove(stage: Stage, note: string): void;
}

/** lab → alpha → beta → GA (or back), each move with a note for the audit log; a move restarts the stage's TTL. */
export function StageControl({ flag, pending, onMove }: StageControlProps) {
  const [target, setTarget] = useState<Stage | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    if (note.trim() === '') return setError('Add a note: why it moves now');
    setError(undefined);
    onMove(target, note.trim());
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Stage">
      <p className="text-sm">
        Now in <strong>{STAGE_LABELS[flag.stage]}</strong>, {flag.daysRemaining <= 0 ? 'TTL expired' : `${flag.daysRemaining} of ${flag.ttlDays} days left`}.
      </p>
      <fieldset className="flex flex-wrap gap-2">
        <legend className="mb-1.5 text-sm font-medium">Move to</legend>
        {STAGE_ORDER.filter((stage) => stage !== flag.stage).map((stage) => (
          <RoleGate role="editor" key={stage}>
            <Button variant={target === stage ? 'primary' : 'secondary'} size="sm" aria-pressed={target === stage} onClick={() => setTarget(stage)}>
              {STAGE_LABELS[stage]}
            </Button>
          </RoleGate>
        ))}
      </fieldset>
      {target && (
        <>
          <Field label={`Note for the move to ${STAGE_LABELS[target]}`} error={error}>
            <Input value={note} onChange={(event) => setNote(event.target.value)} placeholder="e.g. alpha feedback addressed, opening to beta" />
          </Field>
          <div>
            <Button type="submit" disabled={pending}>
              {pending ? 'Moving…' : `Move to ${STAGE_LABELS[target]}`}
            </Button>
          </div>
        </>
      )}
    </form>
  );
}
