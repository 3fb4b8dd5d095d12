import { Card } from '@stagegate/ui/card';
import { ErrorState } from '@stagegate/ui/error-state';
import { StageBadge } from '@stagegate/ui/stage-badge';
import { Switch } from '@stagegate/ui/switch';
import { toast } from '@stagegate/ui/toast';
import { useId } from 'react';
import { useSession } from '../auth/SessionContext.js';
import { errorMessage } from '../lib/errors.js';
import { trpc, type WorkspacePolicy } from '../lib/trpc.js';
import { BetaFeaturesSkeleton } from './BetaFeaturesSkeleton.js';

type Beta = WorkspacePolicy['betas'][number];
type Choice = 'members' | 'blocked' | 'enabled';

const CHOICES: Array<{ value: Choice; label: string }> = [
  { value: 'members', label: 'Members choose' },
  { value: 'blocked', label: 'Off for everyone (blocked)' },
  { value: 'enabled', label: 'On for everyone' },
];

const choiceOf = (beta: Beta): Choice => beta.policy ?? 'members';

function countsText(beta: Beta, members: number): string {
  const people = (n: number) => `${n} ${n === 1 ? 'member' : 'members'}`;
  return `${beta.optedIn} of ${people(members)} opted in · ${beta.optedOut} opted out`;
}

function BetaPolicyRow({ beta, members, disabled, onChange }: { beta: Beta; members: number; disabled: boolean; onChange: (choice: Choice) => void }) {
  const selectId = useId();
  return (
    <Card id={`policy-${beta.key}`} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="flex min-w-0 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="font-semibold">{beta.name}</h3>
          {beta.stage !== 'ga' && <StageBadge stage={beta.stage} />}
        </div>
        <p className="text-sm text-muted-foreground">{beta.description}</p>
        <p className="text-xs text-muted-foreground">{countsText(beta, members)}</p>
      </div>
      <div className="flex shrink-0 flex-col gap-1">
        <label htmlFor={selectId} className="text-xs font-medium text-muted-foreground">
          Policy for {beta.name}
        </label>
        <select
          id={selectId}
          value={choiceOf(beta)}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value as Choice)}
          className="h-9 rounded-md border border-border bg-surface px-2 text-sm disabled:opacity-60"
        >
          {CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
    </Card>
  );
}

/** Settings → Workspace betas: a workspace admin blocks all or some betas, or switches one on for everybody. */
export function WorkspaceBetasPage() {
  const { isWorkspaceAdmin } = useSession();
  const blockAllId = useId();
  const utils = trpc.useUtils();
  const policy = trpc.workspace.policy.useQuery(undefined, { enabled: isWorkspaceAdmin });
  const onSaved = (view: WorkspacePolicy, message: string) => {
    utils.workspace.policy.setData(undefined, view);
    void utils.betaFeatures.list.invalidate();
    void utils.flags.evaluate.invalidate();
    toast.success(message);
  };
  const onFailed = (error: unknown) => toast.error('Failed to update workspace policy', { description: errorMessage(error) });
  const setBlocked = trpc.workspace.setOptInBlocked.useMutation({
    onSuccess: (view, { blocked }) => onSaved(view, blocked ? `Alpha and beta features are now blocked in ${view.workspace.name}` : `Members of ${view.workspace.name} can opt in again`),
    onError: onFailed,
  });
  const setFlagPolicy = trpc.workspace.setFlagPolicy.useMutation({
    onSuccess: (view, { flagKey, policy: next }) => {
      const name = view.betas.find((b) => b.key === flagKey)?.name ?? flagKey;
      onSaved(view, next === 'blocked' ? `${name} is now off for everyone` : next === 'enabled' ? `${name} is now on for everyone` : `Members choose ${name} for themselves`);
    },
    onError: onFailed,
  });

  const header = (
    <header>
      <h1 className="text-2xl font-semibold">Workspace betas</h1>
      <p className="mt-1 text-muted-foreground">
        Decide which alpha and beta features members of {policy.data?.workspace.name ?? 'your workspace'} can try.
      </p>
    </header>
  );
  if (!isWorkspaceAdmin) {
    return (
      <section className="flex flex-col gap-6">
        {header}
        <p>Only workspace admins can change workspace betas.</p>
      </section>
    );
  }
  if (policy.isPending) {
    return (
      <section className="flex flex-col gap-6">
        {header}
        <BetaFeaturesSkeleton />
      </section>
    );
  }
  if (policy.error) {
    return (
      <section className="flex flex-col gap-6">
        {header}
        <ErrorState title="Workspace betas couldn't be loaded" description={errorMessage(policy.error)} onRetry={() => void policy.refetch()} retrying={policy.isFetching} />
      </section>
    );
  }
  const view = policy.data;
  return (
    <section className="flex flex-col gap-6">
      {header}
      <Card className="flex items-start justify-between gap-4 p-4">
        <div>
          <h2 id={blockAllId} className="font-semibold">
            Block all alpha and beta features
          </h2>
          <p className="text-sm text-muted-foreground">
            {view.optInBlocked ? 'Blocked: members of this workspace cannot opt in to anything.' : 'Members may opt in, except to the betas blocked below.'}
          </p>
        </div>
        <div className="flex shrink-0 flex-col items-center gap-1">
          <Switch checked={view.optInBlocked} onCheckedChange={(blocked) => setBlocked.mutate({ blocked })} aria-labelledby={blockAllId} />
          <span aria-hidden="true" className="text-xs font-medium text-muted-foreground">
            {view.optInBlocked ? 'On' : 'Off'}
          </span>
        </div>
      </Card>
      <div className="flex flex-col gap-3">
        <div>
          <h2 className="text-lg font-semibold">Each beta</h2>
          <p className="text-sm text-muted-foreground">
            {view.members} {view.members === 1 ? 'member' : 'members'} in {view.workspace.name}. Opt-in counts are members' own choices.
          </p>
        </div>
        <ul className="flex flex-col gap-3">
          {view.betas.map((beta) => (
            <li key={beta.key}>
              <BetaPolicyRow
                beta={beta}
                members={view.members}
                disabled={view.optInBlocked}
                onChange={(choice) => setFlagPolicy.mutate({ flagKey: beta.key, policy: choice === 'members' ? null : choice })}
              />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
