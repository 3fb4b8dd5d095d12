import { Badge } from '@stagegate/ui/badge';
import { Button } from '@stagegate/ui/button';
import { SkipLink } from '@stagegate/ui/skip-link';
import { ThemeToggle } from '@stagegate/ui/theme';
import { Gauge, LogOut } from 'lucide-react';
import { useOperator } from '../auth/OperatorContext.js';
import { Link, usePath } from '../lib/router.js';
import { useLiveUpdates } from '../realtime/useLiveUpdates.js';
import { Pages } from './Pages.js';

const NAV = [
  { to: '/', label: 'Board', owner: false },
  { to: '/audit', label: 'Audit log', owner: false },
  { to: '/tokens', label: 'API tokens', owner: true },
] as const;

/** The header (pages, who is signed in with their role, theme, sign-out) and the page for the path. */
export function AdminShell() {
  const { user, role, signOut } = useOperator();
  const path = usePath();
  useLiveUpdates();
  const current = (to: string) => (to === '/' ? path === '/' || path.startsWith('/flags/') : path.startsWith(to));

  return (
    <div className="min-h-dvh bg-background">
      <SkipLink />
      <header className="border-b border-border bg-surface">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
          <Link to="/" className="flex items-center gap-2 rounded font-semibold">
            <Gauge aria-hidden="true" className="size-5 text-primary" /> Stagegate
          </Link>
          <nav aria-label="Dashboard" className="order-last w-full sm:order-none sm:w-auto">
            <ul className="flex gap-1">
              {NAV.filter((item) => !item.owner || role === 'owner').map((item) => (
                <li key={item.to}>
                  <Link
                    to={item.to}
                    aria-current={current(item.to) ? 'page' : undefined}
                    className="block rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground hover:bg-muted hover:text-foreground aria-[current=page]:bg-muted aria-[current=page]:text-foreground"
                  >
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <span className="hidden text-sm sm:inline">{user.name}</span>
            <Badge tone={role === 'viewer' ? 'neutral' : 'info'}>{role}</Badge>
            <ThemeToggle />
            <Button variant="ghost" size="icon" aria-label="Sign out" onClick={signOut}>
              <LogOut aria-hidden="true" />
            </Button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 outline-none">
        <Pages path={path} />
      </main>
    </div>
  );
}
