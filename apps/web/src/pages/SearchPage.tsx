import { Card } from '@stagegate/ui/card';
import { EmptyState } from '@stagegate/ui/empty-state';
import { Skeleton } from '@stagegate/ui/skeleton';
import { Search } from 'lucide-react';
import { useId, useState } from 'react';
import { Link } from '../lib/router.js';
import { DiscoverableBadge } from '../shell/DiscoverableBadge.js';
import { useGates } from '../shell/useGates.js';
import { CONTACTS, MEETINGS } from './meetings.js';

/** Internal Search: behind the internal-search flag, like its nav entry. */
export function SearchPage() {
  const { gates, isPending } = useGates();
  const [query, setQuery] = useState('');
  const inputId = useId();
  const gate = gates['internal-search'];
  if (isPending) return <Skeleton className="h-10 w-full" />;
  if (!gate?.enabled) {
    return (
      <EmptyState
        icon={<Search />}
        title="Search isn't switched on for you"
        description="Internal Search is an alpha feature. Turn it on in Settings to try it."
        action={<Link to="/settings/beta-features#internal-search" className="text-sm font-medium text-primary underline underline-offset-4">Open Beta Features</Link>}
      />
    );
  }
  const needle = query.trim().toLowerCase();
  const meetings = MEETINGS.filter((m) => !needle || `${m.title} ${m.people.join(' ')}`.toLowerCase().includes(needle));
  const contacts = CONTACTS.filter((c) => !needle || `${c.name} ${c.email}`.toLowerCase().includes(needle));
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-semibold">Search</h1>
        <DiscoverableBadge flagKey="internal-search" stage={gate.stage} location="search_page" size="md" />
      </div>
      <label htmlFor={inputId} className="text-sm font-medium">
        Search across all your meetings and contacts
      </label>
      <input
        id={inputId}
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        className="h-10 rounded-md border border-border bg-surface px-3"
      />
      <p role="status" className="text-sm text-muted-foreground">
        {meetings.length + contacts.length} results
      </p>
      <ul className="flex flex-col gap-2">
        {meetings.map((m) => (
          <li key={m.id}>
            <Card className="p-3">
              <p className="font-medium">{m.title}</p>
              <p className="text-sm text-muted-foreground">Meeting · {m.when}</p>
            </Card>
          </li>
        ))}
        {contacts.map((c) => (
          <li key={c.id}>
            <Card className="p-3">
              <p className="font-medium">{c.name}</p>
              <p className="text-sm text-muted-foreground">Contact · {c.email}</p>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
