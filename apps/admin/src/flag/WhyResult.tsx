import { Badge } from '@stagegate/ui/badge';
import { cn } from '@stagegate/ui/cn';
import type { Explanation, ExplainStep } from '../lib/trpc.js';

const RULE_LABELS: Record<ExplainStep['rule'], string> = {
  kill: 'Kill switch',
  context: 'User and workspace known',
  userOverride: 'User override',
  adminOverride: 'Admin override',
  lab: 'Lab stage',
  workspaceBlock: 'Workspace policy: blocked',
  optIn: "User's own choice (opt-in)",
  workspaceOptIn: 'Workspace policy: switched on',
  rollout: 'Rollout bucket',
  global: 'Global default',
};

type Outcome = 'decides' | 'applies-not-reached' | 'does-not-apply';

function outcome(step: ExplainStep): Outcome {
  if (step.decides) return 'decides';
  return step.applies ? 'applies-not-reached' : 'does-not-apply';
}

const OUTCOME_TEXT: Record<Outcome, string> = { decides: 'Decides', 'applies-not-reached': 'Applies, not reached', 'does-not-apply': 'Does not apply' };

/** The evaluation debugger's answer: the resolution, then every precedence rule in order with its outcome (the rollout row says bucket vs percentage). */
export function WhyResult({ explanation }: { explanation: Explanation }) {
  const { resolution, user, workspace, steps } = explanation;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm" role="status">
        For <strong>{user.email}</strong> in <strong>{workspace.name}</strong>, {resolution.key} is{' '}
        <Badge tone={resolution.enabled ? 'success' : 'neutral'}>{resolution.enabled ? 'ON' : 'OFF'}</Badge> (reason{' '}
        <code className="font-mono text-xs">{resolution.reason}</code>).
      </p>
      <ol className="flex flex-col gap-1.5" aria-label="Rules in the order they are read">
        {steps.map((step, index) => {
          const result = outcome(step);
          return (
            <li
              key={step.rule}
              data-rule={step.rule}
              data-outcome={result}
              className={cn(
                'grid grid-cols-[1.5rem_1fr] items-baseline gap-x-2 gap-y-1 rounded-md border px-3 py-2 text-sm sm:grid-cols-[1.5rem_14rem_12rem_1fr]',
                result === 'decides' ? 'border-primary bg-primary/5' : 'border-border',
              )}
            >
              <span className="text-muted-foreground">{index + 1}.</span>
              <span className="font-medium">{RULE_LABELS[step.rule]}</span>
              <span className="col-start-2 sm:col-start-3">
                <Badge tone={result === 'decides' ? 'info' : 'neutral'}>{OUTCOME_TEXT[result]}</Badge>
              </span>
              <span className={cn('col-start-2 sm:col-start-4', step.rule === 'rollout' ? 'text-foreground' : 'text-muted-foreground')}>{step.detail}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
