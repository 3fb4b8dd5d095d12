import { FlagCreateInput } from '@stagegate/api/contract';
import { Button } from '@stagegate/ui/button';
import { Field, Input, Select, Textarea } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { STAGE_LABELS, STAGE_ORDER } from '../lib/format.js';
import type { Stage } from '../lib/trpc.js';
import { optional, validate, type FieldErrors } from '../lib/validate.js';

export type CreateFlagRequest = z.input<typeof FlagCreateInput>;

export interface CreateFlagFormProps {
  onSubmit(request: CreateFlagRequest): void;
  pending: boolean;
  /** The server's per-field refusals (e.g. a taken key), shown like the browser's own. */
  serverErrors?: FieldErrors;
}

/** A new flag, checked with the API's own schema before it is sent; each field's error inline. */
export function CreateFlagForm({ onSubmit, pending, serverErrors = {} }: CreateFlagFormProps) {
  const [draft, setDraft] = useState({ key: '', name: '', description: '', stage: 'lab' as Stage, ttlDays: '30', category: '', owner: '', kbArticle: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const shown = { ...serverErrors, ...errors };
  const field = (name: keyof typeof draft) => ({ value: draft[name], onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request = {
      key: draft.key.trim(),
      name: draft.name.trim(),
      description: optional(draft.description),
      stage: draft.stage,
      ttlDays: draft.ttlDays.trim() === '' ? Number.NaN : Number(draft.ttlDays),
      category: optional(draft.category),
      owner: optional(draft.owner),
      kbArticle: optional(draft.kbArticle),
    };
    const checked = validate(FlagCreateInput, request);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    onSubmit(request);
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-2">
      <Field label="Key" error={shown.key} hint="Lowercase letters, digits and dashes; never changes">
        <Input {...field('key')} autoComplete="off" className="font-mono" />
      </Field>
      <Field label="Name" error={shown.name}>
        <Input {...field('name')} />
      </Field>
      <Field label="Description" error={shown.description} className="sm:col-span-2">
        <Textarea {...field('description')} />
      </Field>
      <Field label="Stage" error={shown.stage}>
        <Select {...field('stage')}>
          {STAGE_ORDER.map((stage) => (
            <option key={stage} value={stage}>
              {STAGE_LABELS[stage]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="TTL (days in this stage)" error={shown.ttlDays}>
        <Input {...field('ttlDays')} inputMode="numeric" />
      </Field>
      <Field label="Category" error={shown.category}>
        <Input {...field('category')} />
      </Field>
      <Field label="Owner (email)" error={shown.owner} hint="Empty: you">
        <Input {...field('owner')} type="email" />
      </Field>
      <Field label="KB article (URL)" error={shown.kbArticle} className="sm:col-span-2">
        <Input {...field('kbArticle')} type="url" />
      </Field>
      <div className="flex justify-end sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create flag'}
        </Button>
      </div>
    </form>
  );
}
