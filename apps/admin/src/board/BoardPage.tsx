import { Badge } from '@stagegate/ui/badge';
import { EmptyState } from '@stagegate/ui/empty-state';
import { ErrorState } from '@stagegate/ui/error-state';
import { Skeleton } from '@stagegate/ui/skeleton';
import { toast } from '@stagegate/ui/toast';
import { AlertTriangle } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useMayAct } from '../auth/OperatorContext.js';
import { errorMessage } from '../lib/errors.js';
import { STAGE_LABELS } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { trpc } from '../lib/trpc.js';
import { BoardFilters } from './BoardFilters.js';
import { columns, distinct, liveOverrideCounts, matches, NO_FILTERS, staleReason } from './boardModel.js';
import { BulkBar, describeBulk } from './BulkBar.js';
import { CreateFlagDialog } from './CreateFlagDialog.js';
import { FlagCard } from './FlagCard.js';

/** Every live flag by stage, what needs attention first, and bulk changes for editors. */
export function BoardPage() {
  const flags = trpc.admin.flags.list.useQuery();
  const overrides = trpc.admin.userOverrides.list.useQuery();
  const status = trpc.admin.status.useQuery();
  const editor = useMayAct('editor');
  const [filters, setFilters] = useState(NO_FILTERS);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const utils = trpc.useUtils();
  const bulk = trpc.admin.flags.bulk.useMutation({
    onSuccess: (result) => {
      const { title, description } = describeBulk(result);
      (result.refused.length ? toast.warning : toast.success)(title, { description });
      setSelected(new Set());
      void utils.admin.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error)),
  });

  const now = new Date();
  const counts = useMemo(() => liveOverrideCounts(overrides.data ?? []), [overrides.data]);
  const all = flags.data ?? [];
  const board = columns(all.filter((flag) => matches(flag, filters)), now);
  const stale = all.filter((flag) => staleReason(flag, now));

  if (flags.isPending) {
    return (
      <div role="status" aria-label="Loading flags" className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-64" />
        ))}
      </div>
    );
  }
  if (flags.error) return <ErrorState title="Couldn't load the flags" description={errorMessage(flags.error)} onRetry={() => void flags.refetch()} retrying={flags.isFetching} />;

  const toggle = (key: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    setSelected(next);
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Release board</h1>
          <p className="text-sm text-muted-foreground">
            {all.length} live flags. TTL warnings come first in each stage and are outlined.
          </p>
        </div>
        <CreateFlagDialog />
      </div>

      {((status.data?.ttlWarnings.length ?? 0) > 0 || stale.length > 0) && (
        <section aria-labelledby="attention" className="rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950">
          <h2 id="attention" className="flex items-center gap-2 font-semibold">
            <AlertTriangle aria-hidden="true" className="size-4" /> Needs attention
          </h2>
          <ul className="mt-2 flex flex-col gap-1 text-sm">
            {status.data?.ttlWarnings.map((warning) => (
              <li key={warning.key}>
                <Link to={`/flags/${warning.key}`} className="font-medium underline">
                  {warning.name}
                </Link>{' '}
                ({STAGE_LABELS[warning.stage]}): TTL warning, {warning.daysRemaining <= 0 ? 'TTL expired' : `${warning.daysRemaining} days left`} · {warning.owner}
              </li>
            ))}
            {stale.map((flag) => (
              <li key={`stale-${flag.key}`}>
                <Link to={`/flags/${flag.key}`} className="font-medium underline">
                  {flag.name}
                </Link>{' '}
                ({STAGE_LABELS[flag.stage]}): stale, {staleReason(flag, now)}
              </li>
            ))}
          </ul>
        </section>
      )}

      <BoardFilters filters={filters} onChange={setFilters} categories={distinct(all.map((f) => f.category))} owners={distinct(all.map((f) => f.owner))} />

      {editor && selected.size > 0 && (
        <BulkBar keys={[...selected]} pending={bulk.isPending} onApply={(request) => bulk.mutate(request)} onClear={() => setSelected(new Set())} />
      )}

      {board.every((column) => column.flags.length === 0) ? (
        <EmptyState title="No flags match" description="Clear the search or a filter to see more." />
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
          {board.map((column) => (
            <section key={column.stage} aria-labelledby={`stage-${column.stage}`} className="flex flex-col gap-3 rounded-lg bg-muted/60 p-3">
              <h2 id={`stage-${column.stage}`} className="flex items-center justify-between gap-2 font-semibold">
                <span>{STAGE_LABELS[column.stage]}</span>
                <Badge>{column.flags.length}</Badge>
              </h2>
              <ul className="flex flex-col gap-3">
                {column.flags.map((flag) => (
                  <FlagCard
                    key={flag.key}
                    flag={flag}
                    overrides={counts.get(flag.key) ?? 0}
                    stale={staleReason(flag, now)}
                    selectable={editor}
                    selected={selected.has(flag.key)}
                    onSelect={(on) => toggle(flag.key, on)}
                  />
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
