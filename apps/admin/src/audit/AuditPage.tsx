import { Button } from '@stagegate/ui/button';
import { Card, CardContent } from '@stagegate/ui/card';
import { Field, Input, Select } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import { trpc, type AuditFilters } from '../lib/trpc.js';
import { optional } from '../lib/validate.js';
import { ACTION_LABELS } from './AuditEntry.js';
import { AuditList } from './AuditList.js';

const EMPTY = { flagKey: '', actor: '', action: '', from: '', to: '' };
const DAY_MS = 86_400_000;

/** Date inputs are whole days in the operator's time zone; `to` includes its day. */
function toFilters(form: typeof EMPTY): Omit<AuditFilters, 'cursor'> {
  return {
    flagKey: optional(form.flagKey),
    actor: optional(form.actor),
    action: optional(form.action),
    from: form.from ? new Date(`${form.from}T00:00`).toISOString() : undefined,
    to: form.to ? new Date(new Date(`${form.to}T00:00`).getTime() + DAY_MS).toISOString() : undefined,
  };
}

/** Every audit entry across flags, newest first, filtered by flag, actor, action and date. */
export function AuditPage() {
  const flags = trpc.admin.flags.list.useQuery({ archived: 'include' });
  const [form, setForm] = useState(EMPTY);
  const [filters, setFilters] = useState<Omit<AuditFilters, 'cursor'>>({});
  const set = (name: keyof typeof EMPTY) => ({ value: form[name], onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }) });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(toFilters(form));
  };

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-muted-foreground">Every change, who made it, why, and what changed field by field. Append-only.</p>
      </div>
      <form onSubmit={apply} aria-label="Filter the audit log" className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[1.2fr_1.2fr_1.2fr_1fr_1fr_auto]">
        <Field label="Flag">
          <Select {...set('flagKey')}>
            <option value="">All flags</option>
            {flags.data?.map((flag) => (
              <option key={flag.key} value={flag.key}>
                {flag.name} ({flag.key})
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Actor (email)">
          <Input {...set('actor')} type="email" />
        </Field>
        <Field label="Action">
          <Select {...set('action')}>
            <option value="">All actions</option>
            {Object.entries(ACTION_LABELS).map(([action, label]) => (
              <option key={action} value={action}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="From">
          <Input {...set('from')} type="date" />
        </Field>
        <Field label="To">
          <Input {...set('to')} type="date" />
        </Field>
        <div className="flex gap-2">
          <Button type="submit">Apply</Button>
          <Button
            variant="ghost"
            onClick={() => {
              setForm(EMPTY);
              setFilters({});
            }}
          >
            Reset
          </Button>
        </div>
      </form>
      <Card>
        <CardContent className="pt-2">
          <AuditList filters={filters} showFlag />
        </CardContent>
      </Card>
    </div>
  );
}
