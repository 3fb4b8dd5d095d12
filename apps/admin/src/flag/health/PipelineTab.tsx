import { Card, CardContent, CardHeader, CardTitle } from '@stagegate/ui/card';
import { ErrorState } from '@stagegate/ui/error-state';
import { Skeleton } from '@stagegate/ui/skeleton';
import { toast } from '@stagegate/ui/toast';
import { TriangleAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { errorCode, errorMessage } from '../../lib/errors.js';
import { trpc } from '../../lib/trpc.js';
import { PipelineHealthPanel } from './PipelineHealthPanel.js';
import { PlanAttachForm } from './PlanAttachForm.js';
import { planAlarm, planWhy } from './planModel.js';
import { ReleasePlanView, type PlanAction } from './ReleasePlanView.js';
import { ScheduledChangesList } from './ScheduledChangesList.js';
import { ScheduleForm } from './ScheduleForm.js';

// Telemetry arrives every ~20 s; live events (useLiveUpdates) refetch plan and schedule on every change.
const HEALTH_REFRESH_MS = 30_000;
const PLAN_REFRESH_MS = 15_000;

/** The flag's release plan: PLAN_NOT_FOUND is "none yet", not an error. */
function usePlan(flagKey: string) {
  const plan = trpc.admin.plans.get.useQuery(
    { key: flagKey },
    {
      retry: (count, error) => errorCode(error) !== 'PLAN_NOT_FOUND' && count < 2,
      // Live events refetch it at once; this catches a step taken while the event stream was reconnecting.
      refetchInterval: (query) => (query.state.data?.status === 'running' ? PLAN_REFRESH_MS : false),
    },
  );
  const none = errorCode(plan.error) === 'PLAN_NOT_FOUND';
  return { query: plan, plan: none ? null : plan.data, error: none ? null : plan.error };
}

/** A clock that ticks each `ms`, for the plan's countdown. */
function useNow(ms: number) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** The flag page's "Pipeline" tab: route() health per path, the release plan on its rails, and scheduled changes. */
export function PipelineTab({ flagKey }: { flagKey: string }) {
  const [hours, setHours] = useState(24);
  const health = trpc.admin.flags.health.useQuery({ key: flagKey, hours }, { refetchInterval: HEALTH_REFRESH_MS, placeholderData: (previous) => previous });
  const { plan } = usePlan(flagKey);
  const live = plan && (plan.status === 'running' || plan.status === 'paused');
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <CardContent className="pt-4">
          <PipelineHealthPanel
            hours={hours}
            onHoursChange={setHours}
            health={health.data}
            error={health.data ? null : health.error}
            onRetry={() => void health.refetch()}
            maxErrorRate={live ? plan.maxErrorRate : undefined}
          />
        </CardContent>
      </Card>
      <div className="grid gap-4 lg:grid-cols-[1.4fr_1fr]">
        <ReleasePlanCard flagKey={flagKey} />
        <ScheduleCard flagKey={flagKey} />
      </div>
    </div>
  );
}

function ReleasePlanCard({ flagKey }: { flagKey: string }) {
  const utils = trpc.useUtils();
  const { query, plan, error } = usePlan(flagKey);
  const now = useNow(15_000);
  const [formKey, setFormKey] = useState(0);
  const refresh = () => {
    void utils.admin.plans.invalidate();
    void utils.admin.flags.get.invalidate({ key: flagKey });
    void utils.admin.audit.invalidate();
  };
  const attach = trpc.admin.plans.attach.useMutation({ onSuccess: () => (refresh(), toast.success('Release plan attached')) });
  const control = trpc.admin.plans.control.useMutation({ onSuccess: (_, input) => (refresh(), toast.success(`Plan: ${input.action} done`)) });
  const finished = plan && !(plan.status === 'running' || plan.status === 'paused');
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Release plan</h2>
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {error ? (
          <ErrorState title="Couldn't load the release plan" description={errorMessage(error)} onRetry={() => void query.refetch()} />
        ) : plan === undefined ? (
          <Skeleton className="h-40 w-full" />
        ) : (
          <>
            {plan && (
              <ReleasePlanView
                plan={plan}
                now={now}
                pending={control.isPending ? control.variables.action : undefined}
                error={control.error}
                onControl={(action: PlanAction, reason) => control.mutate({ key: flagKey, action, reason })}
              />
            )}
            {(plan === null || finished) && (
              <>
                <p className="text-sm text-muted-foreground">
                  {plan === null
                    ? 'No plan yet. A plan steps the rollout up on its own while the new path stays healthy, and rolls back when it does not.'
                    : 'This plan has ended. Attach a new one to roll out again.'}
                </p>
                <PlanAttachForm
                  key={formKey}
                  flagKey={flagKey}
                  pending={attach.isPending}
                  error={attach.error}
                  onAttach={(input) => attach.mutate(input, { onSuccess: () => setFormKey((k) => k + 1) })}
                />
              </>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}

function ScheduleCard({ flagKey }: { flagKey: string }) {
  const utils = trpc.useUtils();
  const list = trpc.admin.schedule.list.useQuery({ key: flagKey });
  const [formKey, setFormKey] = useState(0);
  const create = trpc.admin.schedule.create.useMutation({
    onSuccess: () => {
      void utils.admin.schedule.invalidate();
      setFormKey((k) => k + 1);
      toast.success('Change scheduled');
    },
  });
  const cancel = trpc.admin.schedule.cancel.useMutation({
    onSuccess: () => (void utils.admin.schedule.invalidate(), toast.success('Scheduled change cancelled')),
    onError: (error) => toast.error(errorMessage(error)),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Scheduled changes</h2>
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {list.error ? (
          <ErrorState title="Couldn't load scheduled changes" description={errorMessage(list.error)} onRetry={() => void list.refetch()} />
        ) : !list.data ? (
          <Skeleton className="h-24 w-full" />
        ) : (
          <ScheduledChangesList changes={list.data} cancelling={cancel.isPending ? cancel.variables.id : undefined} onCancel={(id) => cancel.mutate({ id })} />
        )}
        <h3 className="text-sm font-semibold">Schedule a change</h3>
        <ScheduleForm key={formKey} flagKey={flagKey} pending={create.isPending} error={create.error} onSchedule={(change) => create.mutate(change)} />
      </CardContent>
    </Card>
  );
}

/** The top-of-page banner when the flag's plan tripped or rolled back, whichever tab is open. */
export function PlanAlertBanner({ flagKey }: { flagKey: string }) {
  const { plan } = usePlan(flagKey);
  if (!plan || !planAlarm(plan)) return null;
  const why = planWhy(plan, new Date());
  return (
    <p role="alert" className="flex items-start gap-2 rounded-md border border-danger/50 bg-danger/5 px-4 py-3 text-sm">
      <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-danger" />
      <span>
        <strong>Release plan: {why.headline}.</strong> {why.detail}
      </span>
    </p>
  );
}

/** On the Release tab: a rollout that a running plan steers says so, since a change by hand pauses the plan. */
export function PlanRolloutHint({ flagKey }: { flagKey: string }) {
  const { plan } = usePlan(flagKey);
  if (!plan || plan.status !== 'running') return null;
  return (
    <p className="mb-3 rounded-md border border-border bg-muted px-3 py-2 text-sm">
      A release plan steers this rollout (step {plan.currentStep + 1} of {plan.steps.length}, {plan.currentPercentage} %). Setting it here pauses the plan; see the Pipeline tab.
    </p>
  );
}
