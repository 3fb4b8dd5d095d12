import { Button } from '@stagegate/ui/button';
import { ErrorState } from '@stagegate/ui/error-state';
import { useState } from 'react';
import { errorMessage } from '../lib/errors.js';
import { trpc, type AuditFilters } from '../lib/trpc.js';
import { AuditEntry } from './AuditEntry.js';

type Filters = Omit<AuditFilters, 'cursor'>;
const PAGE = 25;

/** One page of entries, and the next page once asked for (a plain query per cursor: the audit input is strict, so no infinite-query extras). */
function AuditPageOf({ filters, cursor, showFlag }: { filters: Filters; cursor: number | undefined; showFlag: boolean }) {
  const page = trpc.admin.audit.list.useQuery({ limit: PAGE, ...filters, cursor });
  const [more, setMore] = useState(false);
  if (page.isPending) return <li role="status" className="py-3 text-sm text-muted-foreground">Loading the audit log…</li>;
  if (page.error) {
    return (
      <li>
        <ErrorState title="Couldn't load the audit log" description={errorMessage(page.error)} onRetry={() => void page.refetch()} />
      </li>
    );
  }
  if (cursor === undefined && page.data.items.length === 0) return <li className="py-3 text-sm text-muted-foreground">No audit entries match.</li>;
  const next = page.data.nextCursor;
  return (
    <>
      {page.data.items.map((entry) => (
        <AuditEntry key={entry.id} entry={entry} showFlag={showFlag} />
      ))}
      {next !== null && more && <AuditPageOf filters={filters} cursor={next} showFlag={showFlag} />}
      {next !== null && !more && (
        <li className="py-3">
          <Button variant="secondary" onClick={() => setMore(true)}>
            Load older entries
          </Button>
        </li>
      )}
    </>
  );
}

/** Audit entries newest first, a page at a time; on a flag's page the flag link is left out. */
export function AuditList({ filters, showFlag }: { filters: Filters; showFlag: boolean }) {
  return (
    <ul aria-label="Audit entries">
      <AuditPageOf key={JSON.stringify(filters)} filters={filters} cursor={undefined} showFlag={showFlag} />
    </ul>
  );
}
