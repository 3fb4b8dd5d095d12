import { Badge } from '@stagegate/ui/badge';
import { Button } from '@stagegate/ui/button';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@stagegate/ui/table';
import { toast } from '@stagegate/ui/toast';
import { RoleGate } from '../auth/RoleGate.js';
import { errorCode, errorMessage } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';
import { trpc } from '../lib/trpc.js';
import { OverrideForm } from './OverrideForm.js';

/** The flag's per-user overrides: in force or expired (kept for the record), add and remove. */
export function UserOverrides({ flagKey }: { flagKey: string }) {
  const overrides = trpc.admin.userOverrides.list.useQuery({ flagKey });
  const utils = trpc.useUtils();
  const refresh = () => void utils.admin.invalidate();
  const set = trpc.admin.userOverrides.set.useMutation({
    onSuccess: (o) => {
      toast.success(`Override for ${o.email}: ${o.enabled ? 'on' : 'off'}`);
      refresh();
    },
    onError: (error) => errorCode(error) !== 'USER_NOT_FOUND' && toast.error(errorMessage(error)),
  });
  const remove = trpc.admin.userOverrides.remove.useMutation({
    onSuccess: () => {
      toast.success('Override removed');
      refresh();
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
  const rows = overrides.data ?? [];

  return (
    <div className="flex flex-col gap-4">
      <OverrideForm
        key={set.isSuccess ? set.submittedAt : 'new'}
        flagKey={flagKey}
        pending={set.isPending}
        serverErrors={errorCode(set.error) === 'USER_NOT_FOUND' ? { email: errorMessage(set.error) } : {}}
        onSubmit={(request) => set.mutate(request)}
      />
      {overrides.isPending ? (
        <p className="text-sm text-muted-foreground" role="status">
          Loading overrides…
        </p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">No user overrides: the rules decide for everyone.</p>
      ) : (
        <Table>
          <TableCaption>User overrides of {flagKey}</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>User</TableHead>
              <TableHead>Value</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Reason</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>Set by</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((o) => (
              <TableRow key={o.userId} className={o.expired ? 'text-muted-foreground' : undefined}>
                <TableCell>{o.email}</TableCell>
                <TableCell>{o.enabled ? 'On' : 'Off'}</TableCell>
                <TableCell>{o.expired ? <Badge>Expired</Badge> : <Badge tone="success">In force</Badge>}</TableCell>
                <TableCell>{o.reason}</TableCell>
                <TableCell>{o.expiresAt ? formatDateTime(o.expiresAt) : 'Never'}</TableCell>
                <TableCell>{o.createdBy}</TableCell>
                <TableCell>
                  <RoleGate role="editor">
                    <Button size="sm" variant="ghost" disabled={remove.isPending} onClick={() => remove.mutate({ flagKey, userId: o.userId })}>
                      Remove<span className="sr-only"> override for {o.email}</span>
                    </Button>
                  </RoleGate>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
