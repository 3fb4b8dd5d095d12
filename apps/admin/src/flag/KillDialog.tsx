import { FlagKillInput } from '@stagegate/api/contract';
import { Button } from '@stagegate/ui/button';
import { Dialog, DialogClose, DialogContent, DialogTrigger } from '@stagegate/ui/dialog';
import { Field, Input, Textarea } from '@stagegate/ui/field';
import { useState, type FormEvent, type ReactElement } from 'react';
import { RoleGate } from '../auth/RoleGate.js';
import { percent } from '../lib/format.js';
import type { AdminFlag } from '../lib/trpc.js';
import { validate, type FieldErrors } from '../lib/validate.js';

export type KillMode = 'kill' | 'restore';

/** A flag many people have (GA, or at 50 % and over) asks for its key typed out before the switch moves. */
export const needsTypedKey = (flag: Pick<AdminFlag, 'stage' | 'rolloutPercentage'>) => flag.stage === 'ga' || flag.rolloutPercentage >= 50;

export interface KillDialogProps {
  flag: Pick<AdminFlag, 'key' | 'name' | 'stage' | 'rolloutPercentage'>;
  mode: KillMode;
  open: boolean;
  onOpenChange(open: boolean): void;
  pending: boolean;
  /** The server's refusal, shown inside the dialog so the reason typed is not lost. */
  error?: string | undefined;
  onConfirm(reason: string): void;
  /** The button that opens it (editors only): focus goes back to it when the dialog closes. */
  trigger?: ReactElement;
}

/** The kill switch's confirmation (and its undo): names the flag, requires a reason, and for a wide flag the typed key. */
export function KillDialog({ flag, mode, open, onOpenChange, pending, error, onConfirm, trigger }: KillDialogProps) {
  const kill = mode === 'kill';
  const description = kill
    ? `Turns ${flag.key} off for everyone at once: user overrides, opt-ins and the ${percent(flag.rolloutPercentage)} rollout stop applying until it is restored.`
    : `${flag.key} goes back to its rules (${flag.stage.toUpperCase()}, ${percent(flag.rolloutPercentage)} rollout, overrides and opt-ins).`;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {trigger && (
        <RoleGate role="editor">
          <DialogTrigger asChild>{trigger}</DialogTrigger>
        </RoleGate>
      )}
      <DialogContent title={kill ? `Kill ${flag.name}?` : `Restore ${flag.name}?`} description={description}>
        {/* Inside the content, so each opening starts with an empty form. */}
        <KillForm flag={flag} kill={kill} pending={pending} error={error} onConfirm={onConfirm} />
      </DialogContent>
    </Dialog>
  );
}

function KillForm({ flag, kill, pending, error, onConfirm }: Pick<KillDialogProps, 'flag' | 'pending' | 'error' | 'onConfirm'> & { kill: boolean }) {
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const typeKey = needsTypedKey(flag);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Kill and restore take the same input: a key and a reason.
    const checked = validate(FlagKillInput, { key: flag.key, reason });
    const next: FieldErrors = checked.ok ? {} : { reason: 'Say why: it is the first thing an incident review reads' };
    if (typeKey && typed.trim() !== flag.key) next.typed = `Type ${flag.key} exactly to confirm`;
    setErrors(next);
    if (Object.keys(next).length === 0) onConfirm(reason.trim());
  };

  return (
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          <Field label="Reason" error={errors.reason} hint="Recorded in the audit log with your name">
            <Textarea value={reason} onChange={(event) => setReason(event.target.value)} placeholder={kill ? 'e.g. error rate spiked after the 50 % step' : 'e.g. fix deployed in 1.42.1'} />
          </Field>
          {typeKey && (
            <Field label={`Type the flag's key, ${flag.key}, to confirm`} error={errors.typed} hint={flag.stage === 'ga' ? 'This flag is GA.' : `This flag reaches ${percent(flag.rolloutPercentage)} of users.`}>
              <Input value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" spellCheck={false} className="font-mono" />
            </Field>
          )}
          {error && (
            <p role="alert" className="rounded-md border border-danger/40 bg-danger/5 px-3 py-2 text-sm">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" variant={kill ? 'danger' : 'primary'} disabled={pending}>
              {pending ? (kill ? 'Killing…' : 'Restoring…') : kill ? `Kill ${flag.key}` : `Restore ${flag.key}`}
            </Button>
          </div>
        </form>
  );
}
