import { DiffView } from '@stagegate/ui/diff-view';
import { formatDateTime } from '../lib/format.js';
import { Link } from '../lib/router.js';
import type { AuditItem } from '../lib/trpc.js';
import { fieldChanges } from './fieldChanges.js';

export const ACTION_LABELS: Record<string, string> = {
  'flag.create': 'Created',
  'flag.update': 'Edited details',
  'flag.set_stage': 'Changed stage',
  'flag.set_rollout': 'Changed rollout',
  'flag.set_admin_override': 'Set admin override',
  'flag.kill': 'Killed',
  'flag.restore': 'Restored',
  'flag.archive': 'Archived',
  'user_override.set': 'Set a user override',
  'user_override.remove': 'Removed a user override',
  'workspace_policy.set_opt_in_blocked': 'Workspace blocked opt-ins',
  'workspace_policy.set_flag': 'Workspace flag policy',
  'operator.set_role': 'Operator role',
  'api_token.create': 'Created an API token',
  'api_token.revoke': 'Revoked an API token',
  'beta_feature.enabled': 'Opted in',
  'beta_feature.disabled': 'Opted out',
};

/** One audit entry: who, when, what, why, and the field-level diff of before → after. */
export function AuditEntry({ entry, showFlag }: { entry: AuditItem; showFlag: boolean }) {
  return (
    <li className="flex flex-col gap-1.5 border-t border-border py-3 first:border-t-0" data-action={entry.action}>
      <div className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold">{ACTION_LABELS[entry.action] ?? entry.action}</span>
        {showFlag && entry.flagKey && (
          <Link to={`/flags/${entry.flagKey}`} className="font-mono text-xs text-primary underline">
            {entry.flagKey}
          </Link>
        )}
        <span className="text-muted-foreground">
          by {entry.actor} · <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
        </span>
      </div>
      <p className="text-sm">{entry.reason ? <>Reason: {entry.reason}</> : <span className="text-muted-foreground">No reason given</span>}</p>
      <DiffView changes={fieldChanges(entry.before, entry.after)} />
    </li>
  );
}
