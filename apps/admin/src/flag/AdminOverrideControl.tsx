import { Button } from '@stagegate/ui/button';
import { useState, type FormEvent } from 'react';
import { RoleGate } from '../auth/RoleGate.js';
import { useMayAct } from '../auth/OperatorContext.js';
import type { AdminFlag } from '../lib/trpc.js';

type Choice = 'none' | 'on' | 'off';
const OPTIONS: Array<{ value: Choice; label: string; hint: string }> = [
  { value: 'none', label: 'None', hint: 'the rules decide' },
  { value: 'on', label: 'On', hint: 'for everyone without a user override' },
  { value: 'off', label: 'Off', hint: 'for everyone without a user override' },
];

/** The operator's admin override: forces the flag on or off below user overrides, or leaves it to the rules. */
export function AdminOverrideControl({ flag, pending, onSave }: { flag: Pick<AdminFlag, 'adminOverride'>; pending: boolean; onSave(value: 'on' | 'off' | null): void }) {
  const current: Choice = flag.adminOverride ?? 'none';
  const [choice, setChoice] = useState<Choice>(current);
  const editor = useMayAct('editor');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(choice === 'none' ? null : choice);
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Admin override">
      <fieldset className="flex flex-col gap-1.5" disabled={!editor}>
        <legend className="sr-only">Admin override</legend>
        {OPTIONS.map((option) => (
          <label key={option.value} className="flex items-center gap-2 text-sm">
            <input type="radio" name="admin-override" value={option.value} checked={choice === option.value} onChange={() => setChoice(option.value)} className="accent-primary" />
            <span>
              <strong>{option.label}</strong> <span className="text-muted-foreground">— {option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div>
        <RoleGate role="editor">
          <Button type="submit" variant="secondary" disabled={pending || choice === current}>
            {pending ? 'Saving…' : 'Save admin override'}
          </Button>
        </RoleGate>
      </div>
    </form>
  );
}
