import { ErrorState } from '@stagegate/ui/error-state';
import { Skeleton } from '@stagegate/ui/skeleton';
import { lazy, Suspense } from 'react';
import { errorMessage } from '../lib/errors.js';
import { trpc } from '../lib/trpc.js';
import { dailySeries } from './analyticsSeries.js';

const AnalyticsCharts = lazy(() => import('./AnalyticsCharts.js'));
const DAYS = 14;

/** The flag's last two weeks: evaluations from admin.analytics, opt-ins and opt-outs from the audit log. */
export function FlagAnalytics({ flagKey }: { flagKey: string }) {
  const analytics = trpc.admin.analytics.useQuery({ days: DAYS });
  const from = analytics.data ? new Date(`${analytics.data.from}T00:00:00Z`) : undefined;
  const optIns = trpc.admin.audit.list.useQuery({ flagKey, action: 'beta_feature.enabled', from, limit: 100 }, { enabled: from !== undefined });
  const optOuts = trpc.admin.audit.list.useQuery({ flagKey, action: 'beta_feature.disabled', from, limit: 100 }, { enabled: from !== undefined });
  const error = analytics.error ?? optIns.error ?? optOuts.error;
  if (error) return <ErrorState title="Couldn't load analytics" description={errorMessage(error)} onRetry={() => void analytics.refetch()} />;
  if (!analytics.data || !optIns.data || !optOuts.data) return <Skeleton className="h-64 w-full" />;
  const rows = dailySeries(analytics.data, flagKey, [...optIns.data.items, ...optOuts.data.items]);
  const totals = analytics.data.optIns.find((o) => o.flagKey === flagKey) ?? { enabled: 0, disabled: 0 };
  return (
    <Suspense fallback={<Skeleton className="h-64 w-full" />}>
      <AnalyticsCharts rows={rows} totals={totals} />
    </Suspense>
  );
}
