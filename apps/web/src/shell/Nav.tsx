import { cn } from '@stagegate/ui/cn';
import { House, Settings } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link, usePath } from '../lib/router.js';
import { DiscoverableBadge } from './DiscoverableBadge.js';
import { GATED_PAGES } from './gatedPages.js';
import { useGates } from './useGates.js';

function NavLink({ href, active, children }: { href: string; active: boolean; children: ReactNode }) {
  return (
    <Link
      to={href}
      aria-current={active ? 'page' : undefined}
      className={cn(
        'flex shrink-0 items-center gap-2 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap text-muted-foreground hover:bg-muted hover:text-foreground [&_svg]:size-4',
        active && 'bg-muted text-foreground',
      )}
    >
      {children}
    </Link>
  );
}

/** Home and Settings always; a gated page only while its flag is on, with its stage badge. */
export function Nav() {
  const path = usePath();
  const { gates } = useGates();
  return (
    <nav aria-label="Main" className="-mx-4 overflow-x-auto border-b border-border px-4 md:mx-0 md:w-52 md:shrink-0 md:overflow-visible md:border-none md:px-0 md:py-6">
      <ul className="flex gap-1 py-2 md:flex-col md:py-0">
        <li>
          <NavLink href="/" active={path === '/'}>
            <House aria-hidden="true" /> Home
          </NavLink>
        </li>
        {GATED_PAGES.filter((page) => gates[page.flagKey]?.enabled).map(({ flagKey, path: href, label, icon: Icon }) => (
          <li key={flagKey}>
            <NavLink href={href} active={path === href}>
              <Icon aria-hidden="true" /> {label}
              <DiscoverableBadge flagKey={flagKey} stage={gates[flagKey]?.stage} location="nav" />
            </NavLink>
          </li>
        ))}
        <li>
          <NavLink href="/settings/beta-features" active={path.startsWith('/settings')}>
            <Settings aria-hidden="true" /> Settings
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
