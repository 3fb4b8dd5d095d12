import { Badge } from '@stagegate/ui/badge';
import { Button } from '@stagegate/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@stagegate/ui/card';
import { ErrorState } from '@stagegate/ui/error-state';
import { Skeleton } from '@stagegate/ui/skeleton';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@stagegate/ui/tabs';
import { toast } from '@stagegate/ui/toast';
import { TtlChip } from '@stagegate/ui/ttl-chip';
import { ArrowLeft, Ban, RotateCcw } from 'lucide-react';
import { useState } from 'react';
import { AuditList } from '../audit/AuditList.js';
import { errorCode, errorMessage } from '../lib/errors.js';
import { formatDateTime, percent, STAGE_LABELS } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { trpc } from '../lib/trpc.js';
import { AdminOverrideControl } from './AdminOverrideControl.js';
import { FlagAnalytics } from './FlagAnalytics.js';
import { KillDialog } from './KillDialog.js';
import { PipelineTab, PlanAlertBanner, PlanRolloutHint } from './health/PipelineTab.js';
import { MetadataForm } from './MetadataForm.js';
import { RolloutControl, type BucketBy } from './RolloutControl.js';
import { StageControl } from './StageControl.js';
import { useFlagWrites } from './useFlagWrites.js';
import { UserOverrides } from './UserOverrides.js';
import { WhyPanel } from './WhyPanel.js';

/** One flag: its release controls, the kill switch, details, overrides, the "Why?" debugger, audit and analytics. */
export function FlagPage({ flagKey }: { flagKey: string }) {
  const flag = trpc.admin.flags.get.useQuery({ key: flagKey });
  const writes = useFlagWrites(flagKey);
  const [killOpen, setKillOpen] = useState(false);
  const [draft, setDraft] = useState<{ percentage: number; bucketBy: BucketBy } | null>(null);
  const current = flag.data;
  const reachInput = { key: flagKey, rolloutPercentage: draft?.percentage ?? current?.rolloutPercentage ?? 0, bucketBy: draft?.bucketBy ?? current?.bucketBy };
  const reach = trpc.admin.flags.reach.useQuery(reachInput, { enabled: current !== undefined, placeholderData: (previous) => previous });

  if (flag.isPending) {
    return (
      <div role="status" aria-label="Loading the flag" className="flex flex-col gap-4">
        <Skeleton className="h-10 w-72" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (flag.error || !current) {
    const missing = errorCode(flag.error) === 'FLAG_NOT_FOUND';
    return <ErrorState title={missing ? `No flag "${flagKey}"` : "Couldn't load the flag"} description={errorMessage(flag.error)} onRetry={missing ? undefined : () => void flag.refetch()} />;
  }

  const killed = current.kill !== null;
  const killWrite = killed ? writes.restore : writes.kill;
  const version = { key: flagKey, expectedVersion: current.version };
  const confirmKill = (reason: string) =>
    killWrite.mutate(
      { ...version, reason },
      {
        onSuccess: () => {
          setKillOpen(false);
          toast.success(killed ? `${current.name} restored: its rules decide again` : `${current.name} killed: off for everyone`);
        },
      },
    );

  return (
    <div className="flex flex-col gap-6">
      <Link to="/" className="flex w-fit items-center gap-1 rounded text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft aria-hidden="true" className="size-4" /> Board
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex min-w-0 flex-col gap-1">
          <h1 className="text-2xl font-semibold">{current.name}</h1>
          <p className="font-mono text-sm text-muted-foreground">{current.key}</p>
          <div className="flex flex-wrap gap-1.5 pt-1">
            <Badge tone="info">{STAGE_LABELS[current.stage]}</Badge>
            <Badge>Rollout {percent(current.rolloutPercentage)} by {current.bucketBy}</Badge>
            {current.enabled && <Badge tone="success">Globally on</Badge>}
            {current.adminOverride && <Badge tone="info">Admin override: {current.adminOverride}</Badge>}
            <TtlChip daysRemaining={current.daysRemaining} warnAtDays={current.stage === 'ga' ? -1 : 14} />
            {killed && (
              <Badge tone="danger">
                <Ban aria-hidden="true" /> Killed
              </Badge>
            )}
            <span className="text-xs text-muted-foreground self-center">version {current.version}</span>
          </div>
        </div>
        <KillDialog
          flag={current}
          mode={killed ? 'restore' : 'kill'}
          open={killOpen}
          onOpenChange={setKillOpen}
          pending={killWrite.isPending}
          error={killWrite.error ? errorMessage(killWrite.error) : undefined}
          onConfirm={confirmKill}
          trigger={
            <Button variant={killed ? 'primary' : 'danger'} className="h-11 px-5 text-base">
              {killed ? <RotateCcw aria-hidden="true" /> : <Ban aria-hidden="true" />} {killed ? 'Restore flag' : 'Kill switch'}
            </Button>
          }
        />
      </div>
      {current.kill && (
        <p role="status" className="rounded-md border border-danger/50 bg-danger/5 px-4 py-3 text-sm">
          <strong>Off for everyone.</strong> Killed by {current.kill.by} on {formatDateTime(current.kill.at)}: {current.kill.reason}
        </p>
      )}
      <PlanAlertBanner flagKey={flagKey} />

      <Tabs defaultValue="release">
        <TabsList aria-label="Flag sections">
          <TabsTrigger value="release">Release</TabsTrigger>
          <TabsTrigger value="pipeline">Pipeline</TabsTrigger>
          <TabsTrigger value="details">Details</TabsTrigger>
          <TabsTrigger value="overrides">User overrides</TabsTrigger>
          <TabsTrigger value="why">Why?</TabsTrigger>
          <TabsTrigger value="audit">Audit</TabsTrigger>
          <TabsTrigger value="analytics">Analytics</TabsTrigger>
        </TabsList>
        <TabsContent value="release" className="grid gap-4 lg:grid-cols-[1fr_1.4fr]">
          <div className="flex flex-col gap-4">
            <Card>
              <CardHeader>
                <CardTitle asChild>
                  <h2>Stage</h2>
                </CardTitle>
              </CardHeader>
              <CardContent>
                <StageControl
                  key={current.version}
                  flag={current}
                  pending={writes.setStage.isPending}
                  onMove={(stage, note) => writes.setStage.mutate({ ...version, stage, reason: note }, { onSuccess: () => toast.success(`${current.name} moved to ${STAGE_LABELS[stage]}`) })}
                />
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle asChild>
                  <h2>Admin override</h2>
                </CardTitle>
              </CardHeader>
              <CardContent>
                <AdminOverrideControl
                  key={current.version}
                  flag={current}
                  pending={writes.setAdminOverride.isPending}
                  onSave={(adminOverride) => writes.setAdminOverride.mutate({ ...version, adminOverride }, { onSuccess: () => toast.success('Admin override saved') })}
                />
              </CardContent>
            </Card>
          </div>
          <Card>
            <CardHeader>
              <CardTitle asChild>
                <h2>Rollout</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <PlanRolloutHint flagKey={flagKey} />
              <RolloutControl
                key={current.version}
                flag={current}
                reach={reach.data}
                pending={writes.setRollout.isPending || writes.update.isPending}
                onDraftChange={setDraft}
                onSave={({ percentage, bucketBy, note }) => {
                  const setRollout = (expectedVersion: number) =>
                    writes.setRollout.mutate(
                      { key: flagKey, expectedVersion, rolloutPercentage: percentage, reason: note },
                      { onSuccess: () => toast.success(`${current.name}: rollout ${percent(percentage)} by ${bucketBy}`) },
                    );
                  // Bucketing is flag metadata: change it first, then the percentage on the version that answer names.
                  if (bucketBy === current.bucketBy) return setRollout(current.version);
                  writes.update.mutate({ ...version, bucketBy, reason: note }, { onSuccess: (updated) => setRollout(updated.version), onError: (error) => toast.error(errorMessage(error)) });
                }}
              />
            </CardContent>
          </Card>
        </TabsContent>
        <TabsContent value="pipeline">
          <PipelineTab flagKey={flagKey} />
        </TabsContent>
        <TabsContent value="details">
          <Card>
            <CardContent className="pt-4">
              <MetadataForm
                flag={current}
                pending={writes.update.isPending}
                error={writes.update.error}
                onSave={(update) => writes.update.mutate(update, { onSuccess: () => toast.success('Details saved') })}
              />
            </CardContent>
          </Card>
        </TabsContent>
        <TabsContent value="overrides">
          <UserOverrides flagKey={flagKey} />
        </TabsContent>
        <TabsContent value="why">
          <WhyPanel flagKey={flagKey} />
        </TabsContent>
        <TabsContent value="audit">
          <AuditList filters={{ flagKey }} showFlag={false} />
        </TabsContent>
        <TabsContent value="analytics">
          <FlagAnalytics flagKey={flagKey} />
        </TabsContent>
      </Tabs>
    </div>
  );
}
