import { OverrideSetInput } from '@stagegate/api/contract';
import { Button } from '@stagegate/ui/button';
import { Field, Input, Select } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { RoleGate } from '../auth/RoleGate.js';
import { optional, validate, type FieldErrors } from '../lib/validate.js';

export type OverrideRequest = z.input<typeof OverrideSetInput>;

/** Add (or replace) one user's override: user by email, on/off, a reason, and an optional expiry. */
export function OverrideForm({ flagKey, pending, serverErrors = {}, onSubmit }: { flagKey: string; pending: boolean; serverErrors?: FieldErrors; onSubmit(request: OverrideRequest): void }) {
  const [email, setEmail] = useState('');
  const [enabled, setEnabled] = useState('on');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const shown = { ...serverErrors, ...errors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const expiresAt = optional(expires);
    const request = { flagKey, email: email.trim(), enabled: enabled === 'on', reason, expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null };
    const checked = validate(OverrideSetInput, request);
    const next = checked.ok ? {} : checked.errors;
    if (expiresAt && new Date(expiresAt).getTime() <= Date.now()) next.expiresAt = 'Pick a time in the future';
    setErrors(next);
    if (Object.keys(next).length === 0) onSubmit(request);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add a user override" className="grid items-start gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_7rem_2fr_1.5fr_auto]">
      <Field label="User email" error={shown.email}>
        <Input type="email" value={email} onChange={(event) => setEmail(event.target.value)} />
      </Field>
      <Field label="Set to">
        <Select value={enabled} onChange={(event) => setEnabled(event.target.value)}>
          <option value="on">On</option>
          <option value="off">Off</option>
        </Select>
      </Field>
      <Field label="Reason" error={shown.reason}>
        <Input value={reason} onChange={(event) => setReason(event.target.value)} />
      </Field>
      <Field label="Expires (optional)" error={shown.expiresAt}>
        <Input type="datetime-local" value={expires} onChange={(event) => setExpires(event.target.value)} />
      </Field>
      <div className="lg:pt-6">
        <RoleGate role="editor">
          <Button type="submit" disabled={pending}>
            {pending ? 'Adding…' : 'Add override'}
          </Button>
        </RoleGate>
      </div>
    </form>
  );
}
