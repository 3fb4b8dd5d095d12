import { Button } from '@stagegate/ui/button';
import { ThemeToggle } from '@stagegate/ui/theme';
import { ShieldX } from 'lucide-react';

/** Signed in, but not an operator (a workspace admin or a member): say so, and where they belong. */
export function RefusalPage({ name, email, onSignOut }: { name: string; email: string; onSignOut: () => void }) {
  return (
    <div className="min-h-dvh bg-background">
      <header className="flex justify-end px-4 py-3">
        <ThemeToggle />
      </header>
      <main className="mx-auto flex max-w-lg flex-col items-center gap-4 px-4 pt-10 text-center">
        <ShieldX aria-hidden="true" className="size-10 text-danger" />
        <h1 className="text-2xl font-semibold">This dashboard is for operators</h1>
        <p className="text-muted-foreground">
          You are signed in as {name} ({email}), who is not a Stagegate operator. Workspace admins manage their workspace's betas in Settings;
          members choose their own beta features there.
        </p>
        <div className="flex flex-wrap justify-center gap-2">
          <Button asChild>
            <a href="/settings/beta-features">Go to Settings</a>
          </Button>
          <Button variant="secondary" onClick={onSignOut}>
            Sign out
          </Button>
        </div>
      </main>
    </div>
  );
}
