import { Button } from '@stagegate/ui/button';
import { EmptyState } from '@stagegate/ui/empty-state';
import { ErrorState } from '@stagegate/ui/error-state';
import { Skeleton } from '@stagegate/ui/skeleton';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@stagegate/ui/table';
import { Activity } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { errorMessage } from '../../lib/errors.js';
import { formatCount, formatMs, formatRate, HEALTH_RANGES, hasReports, healthRows, healthSummary, PATH_LABELS, type FlagHealth } from './healthModel.js';

const HealthCharts = lazy(() => import('./HealthCharts.js'));

export interface PipelineHealthPanelProps {
  hours: number;
  onHoursChange(hours: number): void;
  health: FlagHealth | undefined;
  error: unknown;
  onRetry(): void;
  /** The running plan's guard threshold (0–1), drawn on the error-rate chart. */
  maxErrorRate?: number | undefined;
}

/** route() per path over a chosen range: charts, a sentence that says what they show, and the numbers in tables. */
export function PipelineHealthPanel({ hours, onHoursChange, health, error, onRetry, maxErrorRate }: PipelineHealthPanelProps) {
  const range = HEALTH_RANGES.find((r) => r.hours === hours) ?? HEALTH_RANGES[2];
  return (
    <section aria-labelledby="pipeline-health" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="pipeline-health" className="text-lg font-semibold">
          Pipeline health
        </h2>
        <div role="group" aria-label="Time range" className="inline-flex rounded-md border border-border p-0.5">
          {HEALTH_RANGES.map((r) => (
            <Button key={r.hours} size="sm" variant={r.hours === hours ? 'primary' : 'ghost'} aria-pressed={r.hours === hours} onClick={() => onHoursChange(r.hours)}>
              {r.label}
            </Button>
          ))}
        </div>
      </div>
      {error ? (
        <ErrorState title="Couldn't load pipeline health" description={errorMessage(error)} onRetry={onRetry} />
      ) : !health ? (
        <div role="status" aria-label="Loading pipeline health">
          <Skeleton className="h-64 w-full" />
        </div>
      ) : !hasReports(health) ? (
        <EmptyState
          icon={<Activity />}
          title="No route() calls reported for this flag yet"
          description={`Services report on their own: createFlagClient with a service token sends route() counts every 20 s to POST /api/flags/metrics (nothing in the last ${range.label}).`}
        />
      ) : (
        <HealthBody health={health} rangeLabel={range.label} maxErrorRate={maxErrorRate} />
      )}
    </section>
  );
}

function HealthBody({ health, rangeLabel, maxErrorRate }: { health: FlagHealth; rangeLabel: string; maxErrorRate: number | undefined }) {
  const rows = healthRows(health);
  // The API's last minute is still filling (reports come every 20 s): charted, it would look like a sudden drop, so the charts end before it
  // and the tables keep it. An hour is kept: it holds most of what a fresh rollout has to show.
  const charted = health.bucket === 'minute' ? rows.slice(0, -1) : rows;
  const active = rows.filter((row) => row.enabledCalls + row.disabledCalls + row.fallbacks > 0);
  const { totals } = health;
  const tripping = maxErrorRate !== undefined && totals.enabled.errorRate !== null && totals.enabled.errorRate > maxErrorRate;
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm" data-testid="health-summary">
        {healthSummary(health, rangeLabel)}
        {tripping && <strong className="text-danger"> The new path is above the plan's {formatRate(maxErrorRate)} threshold.</strong>}
      </p>
      {/* On a phone the share is in the sentence above and latency waits for a wider screen, so the table fits without scrolling. */}
      <Table>
        <TableCaption>route() totals per path, last {rangeLabel}</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Path</TableHead>
            <TableHead className="hidden text-right sm:table-cell">Share</TableHead>
            <TableHead className="text-right">Calls</TableHead>
            <TableHead className="text-right">Errors</TableHead>
            <TableHead className="text-right">Error rate</TableHead>
            <TableHead className="hidden text-right sm:table-cell">p50</TableHead>
            <TableHead className="hidden text-right sm:table-cell">p95</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(['enabled', 'disabled'] as const).map((path) => (
            <TableRow key={path}>
              <TableCell>{PATH_LABELS[path]}</TableCell>
              <TableCell className="hidden text-right tabular-nums sm:table-cell">{totals[path].share === null ? '—' : `${Math.round(totals[path].share * 1000) / 10} %`}</TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(totals[path].calls)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(totals[path].errors)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatRate(totals[path].errorRate)}</TableCell>
              <TableCell className="hidden text-right tabular-nums sm:table-cell">{formatMs(totals[path].p50Ms)}</TableCell>
              <TableCell className="hidden text-right tabular-nums sm:table-cell">{formatMs(totals[path].p95Ms)}</TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell>Fallbacks (new path failed, legacy answered)</TableCell>
            <TableCell colSpan={6} className="text-right tabular-nums">
              {formatCount(totals.fallbacks)}
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
      <Suspense fallback={<Skeleton className="h-48 w-full" />}>
        <HealthCharts rows={charted} maxErrorPct={maxErrorRate === undefined ? undefined : Math.round(maxErrorRate * 10_000) / 100} />
      </Suspense>
      <details className="text-sm">
        <summary className="cursor-pointer text-muted-foreground hover:text-foreground">
          Numbers per {health.bucket} ({active.length} with calls)
        </summary>
        <Table className="mt-2">
          <TableCaption>route() per {health.bucket}, buckets without calls left out</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>{health.bucket === 'minute' ? 'Minute' : 'Hour'}</TableHead>
              <TableHead className="text-right">New calls</TableHead>
              <TableHead className="text-right">New error rate</TableHead>
              <TableHead className="text-right">Legacy calls</TableHead>
              <TableHead className="text-right">Legacy error rate</TableHead>
              <TableHead className="text-right">Fallbacks</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {active.map((row) => (
              <TableRow key={row.at}>
                <TableCell>{row.label}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(row.enabledCalls)}</TableCell>
                <TableCell className="text-right tabular-nums">{row.enabledErrorPct === null ? '—' : `${row.enabledErrorPct} %`}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(row.disabledCalls)}</TableCell>
                <TableCell className="text-right tabular-nums">{row.disabledErrorPct === null ? '—' : `${row.disabledErrorPct} %`}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCount(row.fallbacks)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </details>
    </div>
  );
}
