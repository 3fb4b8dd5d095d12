import { FlagUpdateInput } from '@stagegate/api/contract';
import { Button } from '@stagegate/ui/button';
import { Field, Input, Textarea } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { RoleGate } from '../auth/RoleGate.js';
import { errorMessage, isStale, serverFieldErrors } from '../lib/errors.js';
import type { AdminFlag } from '../lib/trpc.js';
import { validate, type FieldErrors } from '../lib/validate.js';

export type MetadataUpdate = z.input<typeof FlagUpdateInput>;
type Draft = { name: string; description: string; category: string; owner: string; kbArticle: string; ttlDays: string };

const draftOf = (flag: AdminFlag): Draft => ({
  name: flag.name,
  description: flag.description,
  category: flag.category,
  owner: flag.owner,
  kbArticle: flag.kbArticle ?? '',
  ttlDays: String(flag.ttlDays),
});

export interface MetadataFormProps {
  flag: AdminFlag;
  pending: boolean;
  error: unknown;
  onSave(update: MetadataUpdate): void;
}

/**
 * Name, description, category, owner, KB article and TTL, checked with the API's FlagUpdateInput.
 * The save names the version the draft started from: if someone saved in between, the server
 * refuses it and the form offers to reload, so nobody's change is overwritten silently.
 */
export function MetadataForm({ flag, pending, error, onSave }: MetadataFormProps) {
  const [base, setBase] = useState(flag);
  const [draft, setDraft] = useState(() => draftOf(flag));
  const [errors, setErrors] = useState<FieldErrors>({});
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(base));
  // A change that arrives live while nothing is typed is simply taken; a draft keeps its base version.
  if (!dirty && flag.version !== base.version) {
    setBase(flag);
    setDraft(draftOf(flag));
  }
  const stale = isStale(error) || (dirty && flag.version !== base.version);
  const shown = { ...serverFieldErrors(error), ...errors };
  const field = (name: keyof Draft) => ({ value: draft[name], onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const before = draftOf(base);
    const changed = (name: keyof Draft) => draft[name] !== before[name];
    const update = {
      key: flag.key,
      expectedVersion: base.version,
      ...(changed('name') && { name: draft.name.trim() }),
      ...(changed('description') && { description: draft.description }),
      ...(changed('category') && { category: draft.category.trim() }),
      ...(changed('owner') && { owner: draft.owner.trim() }),
      ...(changed('kbArticle') && { kbArticle: draft.kbArticle.trim() === '' ? null : draft.kbArticle.trim() }),
      ...(changed('ttlDays') && { ttlDays: draft.ttlDays.trim() === '' ? Number.NaN : Number(draft.ttlDays) }),
    };
    const checked = validate(FlagUpdateInput, update);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    onSave(update);
  };

  const reload = () => {
    setBase(flag);
    setDraft(draftOf(flag));
    setErrors({});
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-2" aria-label="Flag details">
      {stale && (
        <div role="alert" className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-amber-400 bg-amber-50 px-3 py-2 text-sm sm:col-span-2 dark:bg-amber-950">
          <span>Changed by someone else — reload to see their version (your edits here are discarded).</span>
          <Button size="sm" variant="secondary" onClick={reload}>
            Reload
          </Button>
        </div>
      )}
      {!stale && error !== null && error !== undefined && Object.keys(serverFieldErrors(error)).length === 0 && (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger/5 px-3 py-2 text-sm sm:col-span-2">
          {errorMessage(error)}
        </p>
      )}
      <Field label="Name" error={shown.name}>
        <Input {...field('name')} />
      </Field>
      <Field label="Owner (email)" error={shown.owner}>
        <Input {...field('owner')} type="email" />
      </Field>
      <Field label="Description" error={shown.description} className="sm:col-span-2">
        <Textarea {...field('description')} />
      </Field>
      <Field label="Category" error={shown.category}>
        <Input {...field('category')} />
      </Field>
      <Field label="TTL (days in this stage)" error={shown.ttlDays}>
        <Input {...field('ttlDays')} inputMode="numeric" />
      </Field>
      <Field label="KB article (URL)" error={shown.kbArticle} className="sm:col-span-2">
        <Input {...field('kbArticle')} type="url" />
      </Field>
      <div className="flex justify-end gap-2 sm:col-span-2">
        {dirty && (
          <Button variant="ghost" onClick={reload}>
            Discard changes
          </Button>
        )}
        <RoleGate role="editor">
          <Button type="submit" disabled={pending || !dirty || stale}>
            {pending ? 'Saving…' : 'Save details'}
          </Button>
        </RoleGate>
      </div>
    </form>
  );
}
