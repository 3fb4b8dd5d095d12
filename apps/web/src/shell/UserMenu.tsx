import { signOut } from '@stagegate/app-kit/session';
import { Button } from '@stagegate/ui/button';
import { toast } from '@stagegate/ui/toast';
import { LogOut } from 'lucide-react';
import { useState } from 'react';
import { useSession } from '../auth/SessionContext.js';
import { navigate } from '../lib/router.js';

export function UserMenu() {
  const { user, resetSession } = useSession();
  const [pending, setPending] = useState(false);
  const onSignOut = async () => {
    setPending(true);
    try {
      await signOut();
      navigate('/', { replace: true });
      resetSession();
    } catch (error) {
      toast.error('Sign-out failed', { description: error instanceof Error ? error.message : undefined });
      setPending(false);
    }
  };
  return (
    <div className="flex min-w-0 items-center gap-2">
      <span className="hidden truncate text-sm text-muted-foreground lg:inline" title={user.email}>
        {user.name}
      </span>
      <Button variant="ghost" size="sm" onClick={() => void onSignOut()} disabled={pending}>
        <LogOut aria-hidden="true" />
        <span className="sr-only sm:not-sr-only">Sign out</span>
      </Button>
    </div>
  );
}
