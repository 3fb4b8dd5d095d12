import { cn } from '@stagegate/ui/cn';
import type { ReactNode } from 'react';
import { useSession } from '../auth/SessionContext.js';
import { Link, usePath } from '../lib/router.js';

/** Settings' own tabs: Beta features for everyone, Workspace betas for workspace admins only. */
export function SettingsLayout({ children }: { children: ReactNode }) {
  const path = usePath();
  const { isWorkspaceAdmin } = useSession();
  const tabs = [{ href: '/settings/beta-features', label: 'Beta features' }, ...(isWorkspaceAdmin ? [{ href: '/settings/workspace-betas', label: 'Workspace betas' }] : [])];
  const current = path === '/settings' ? '/settings/beta-features' : path;
  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Settings">
        <ul className="flex gap-1 border-b border-border">
          {tabs.map((tab) => (
            <li key={tab.href}>
              <Link
                to={tab.href}
                aria-current={current === tab.href ? 'page' : undefined}
                className={cn(
                  '-mb-px inline-block border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground',
                  current === tab.href && 'border-primary text-foreground',
                )}
              >
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}
