import { TokenCreateInput } from '@stagegate/api/contract';
import { Badge } from '@stagegate/ui/badge';
import { Button } from '@stagegate/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@stagegate/ui/card';
import { Field, Input, Select } from '@stagegate/ui/field';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@stagegate/ui/table';
import { toast } from '@stagegate/ui/toast';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';
import { trpc } from '../lib/trpc.js';
import { optional, validate, type FieldErrors } from '../lib/validate.js';

/** Owners: create an API token (its secret shown this once), see each one's last use, revoke. */
export function TokensPage() {
  const tokens = trpc.admin.tokens.list.useQuery();
  const utils = trpc.useUtils();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'service' | 'user'>('service');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  // Revoking bites at once for every service using it: one more click to be sure.
  const [confirming, setConfirming] = useState<string | null>(null);
  const create = trpc.admin.tokens.create.useMutation({
    onSuccess: ({ token, apiToken }) => {
      setSecret({ name: apiToken.name, token });
      setName('');
      setEmail('');
      void utils.admin.tokens.list.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
  const revoke = trpc.admin.tokens.revoke.useMutation({
    onSuccess: (token) => {
      toast.success(`Revoked ${token.name}: it stops working at once`);
      void utils.admin.tokens.list.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error)),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = { name: name.trim(), kind, email: kind === 'user' ? optional(email) : undefined };
    const checked = validate(TokenCreateInput, input);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    create.mutate(input);
  };

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="text-sm text-muted-foreground">Service tokens let backend SDKs read flags; user tokens act as a user (the CLI, scripts).</p>
      </div>
      <Card>
        <CardHeader>
          <CardTitle asChild>
            <h2>Create a token</h2>
          </CardTitle>
          <CardDescription>The secret is shown once, right after it is created. Stagegate keeps only its hash.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <form onSubmit={submit} noValidate aria-label="Create a token" className="grid items-start gap-3 sm:grid-cols-[2fr_1fr_2fr_auto]">
            <Field label="Name" error={errors.name}>
              <Input value={name} onChange={(event) => setName(event.target.value)} placeholder="e.g. billing service" />
            </Field>
            <Field label="Kind">
              <Select value={kind} onChange={(event) => setKind(event.target.value as 'service' | 'user')}>
                <option value="service">Service (reads flags)</option>
                <option value="user">User</option>
              </Select>
            </Field>
            <Field label="Acts as (email)" hint={kind === 'user' ? 'Empty: you' : 'Only for user tokens'} error={errors.email}>
              <Input value={email} onChange={(event) => setEmail(event.target.value)} type="email" disabled={kind !== 'user'} />
            </Field>
            <div className="sm:pt-6">
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? 'Creating…' : 'Create token'}
              </Button>
            </div>
          </form>
          {secret && (
            <div role="status" className="flex flex-col gap-2 rounded-md border border-green-400 bg-green-50 p-3 text-sm dark:border-green-700 dark:bg-green-950">
              <p>
                <strong>{secret.name}</strong>: copy it now, it will not be shown again.
              </p>
              <code className="rounded bg-surface px-2 py-1 font-mono break-all" data-testid="new-token">
                {secret.token}
              </code>
              <div className="flex gap-2">
                <Button size="sm" variant="secondary" onClick={() => void navigator.clipboard?.writeText(secret.token).then(() => toast.success('Copied'))}>
                  Copy
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setSecret(null)}>
                  Done, hide it
                </Button>
              </div>
            </div>
          )}
        </CardContent>
      </Card>
      <Table>
        <TableCaption>API tokens</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Kind</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(tokens.data ?? []).map((token) => (
            <TableRow key={token.id}>
              <TableCell>{token.name}</TableCell>
              <TableCell>{token.kind === 'service' ? 'Service' : `User: ${token.userEmail ?? '?'}`}</TableCell>
              <TableCell>
                {formatDateTime(token.createdAt)}
                {token.createdBy && <span className="block text-xs text-muted-foreground">by {token.createdBy}</span>}
              </TableCell>
              <TableCell>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</TableCell>
              <TableCell>{token.revokedAt ? <Badge>Revoked {formatDateTime(token.revokedAt)}</Badge> : <Badge tone="success">Active</Badge>}</TableCell>
              <TableCell>
                {!token.revokedAt && confirming !== token.id && (
                  <Button size="sm" variant="ghost" onClick={() => setConfirming(token.id)}>
                    Revoke<span className="sr-only"> {token.name}</span>
                  </Button>
                )}
                {!token.revokedAt && confirming === token.id && (
                  <span className="flex gap-1">
                    <Button size="sm" variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: token.id }, { onSettled: () => setConfirming(null) })}>
                      Revoke now<span className="sr-only"> {token.name}</span>
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>
                      Keep
                    </Button>
                  </span>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
