import { FlagExplainInput } from '@stagegate/api/contract';
import { Button } from '@stagegate/ui/button';
import { Field, Input } from '@stagegate/ui/field';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../lib/errors.js';
import { trpc } from '../lib/trpc.js';
import { optional, validate, type FieldErrors } from '../lib/validate.js';
import { WhyResult } from './WhyResult.js';

/** "Why is this on for her?": a user (email) and workspace in, every rule of the precedence table out. */
export function WhyPanel({ flagKey }: { flagKey: string }) {
  const [email, setEmail] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [asked, setAsked] = useState<{ key: string; email: string; workspace?: string | undefined } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const explain = trpc.admin.flags.explain.useQuery(asked ?? { key: flagKey, email: 'x@x.dev' }, { enabled: asked !== null, retry: false });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = { key: flagKey, email: email.trim(), workspace: optional(workspace) };
    const checked = validate(FlagExplainInput, input);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setAsked(input);
  };

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} noValidate aria-label="Explain for a user" className="grid items-start gap-3 sm:grid-cols-[2fr_1.5fr_auto]">
        <Field label="User email" error={errors.email}>
          <Input type="email" value={email} onChange={(event) => setEmail(event.target.value)} placeholder="e.g. member@stagegate.dev" />
        </Field>
        <Field label="Workspace (slug or id)" hint="Empty: the user's only workspace" error={errors.workspace}>
          <Input value={workspace} onChange={(event) => setWorkspace(event.target.value)} placeholder="e.g. demo" />
        </Field>
        <div className="sm:pt-6">
          <Button type="submit" disabled={explain.isFetching}>
            {explain.isFetching ? 'Explaining…' : 'Explain'}
          </Button>
        </div>
      </form>
      {asked && explain.error && (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger/5 px-3 py-2 text-sm">
          {errorMessage(explain.error)}
        </p>
      )}
      {asked && explain.data && <WhyResult explanation={explain.data} />}
    </div>
  );
}
