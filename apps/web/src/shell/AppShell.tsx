import { FlaskConical } from 'lucide-react';
import { SkipLink } from '@stagegate/ui/skip-link';
import { ThemeToggle } from '@stagegate/ui/theme';
import { useSession } from '../auth/SessionContext.js';
import { Link } from '../lib/router.js';
import { useLiveUpdates } from '../realtime/useLiveUpdates.js';
import { Nav } from './Nav.js';
import { Pages } from './Pages.js';
import { UserMenu } from './UserMenu.js';
import { WorkspaceSwitcher } from './WorkspaceSwitcher.js';

function LiveUpdates() {
  useLiveUpdates();
  return null;
}

/** Header (workspace, theme, user), navigation gated by flags, and the page. */
export function AppShell() {
  const { workspace } = useSession();
  return (
    <div className="min-h-dvh">
      <SkipLink />
      <header className="sticky top-0 z-30 border-b border-border bg-surface/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4">
          <Link to="/" className="flex items-center gap-2 rounded-md font-semibold">
            <FlaskConical aria-hidden="true" className="size-5 text-primary" />
            Stagegate
          </Link>
          <div className="ml-auto flex min-w-0 items-center gap-1 sm:gap-2">
            <WorkspaceSwitcher />
            <ThemeToggle />
            <UserMenu />
          </div>
        </div>
      </header>
      <div className="mx-auto max-w-6xl px-4 md:flex md:gap-8">
        {workspace && <Nav />}
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 py-6 outline-none">
          {workspace ? (
            <>
              <LiveUpdates />
              <Pages />
            </>
          ) : (
            <section className="max-w-prose">
              <h1 className="text-2xl font-semibold">No workspace</h1>
              <p className="mt-2 text-muted-foreground">
                You're signed in, but not a member of any workspace, so there are no beta features to try here. Operators manage flags in
                the admin app.
              </p>
            </section>
          )}
        </main>
      </div>
    </div>
  );
}
