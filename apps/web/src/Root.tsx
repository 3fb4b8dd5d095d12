import { StartupError, StartupLoading } from '@stagegate/ui/startup-state';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import { SessionContext, type Session } from './auth/SessionContext.js';
import { SignInPage } from './auth/SignInPage.js';
import { errorCode, errorMessage } from './lib/errors.js';
import { trpc } from './lib/trpc.js';
import { chooseWorkspace, chosenWorkspace } from './lib/workspace.js';
import { AppShell } from './shell/AppShell.js';

/** Signed out → the sign-in page; signed in → the shell, in one of the user's workspaces. */
export function Root() {
  const queryClient = useQueryClient();
  const whoami = trpc.session.whoami.useQuery(undefined, { retry: (count, error) => errorCode(error) !== 'UNAUTHORIZED' && count < 1 });
  const resetSession = useCallback(() => {
    queryClient.clear();
    void whoami.refetch();
  }, [queryClient, whoami]);

  const who = whoami.data;
  // A remembered workspace the user left, or none chosen while they have several: settle on one they are in.
  useEffect(() => {
    if (!who) return;
    const chosen = chosenWorkspace();
    const valid = who.workspaces.some((w) => w.id === chosen);
    if (chosen && !valid) chooseWorkspace(undefined);
    if (!who.workspace && who.workspaces[0]) {
      chooseWorkspace(who.workspaces[0].id);
      resetSession();
    }
  }, [who, resetSession]);

  const session = useMemo<Session | null>(
    () => (who ? { ...who, isWorkspaceAdmin: who.workspace?.role === 'admin', resetSession } : null),
    [who, resetSession],
  );

  if (whoami.isPending) return <StartupLoading label="Loading Stagegate" />;
  if (whoami.error && errorCode(whoami.error) === 'UNAUTHORIZED') return <SignInPage onSignedIn={resetSession} />;
  if (whoami.error || !session) {
    return <StartupError description={errorMessage(whoami.error)} onRetry={() => void whoami.refetch()} retrying={whoami.isFetching} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <AppShell key={session.workspace?.id ?? 'none'} />
    </SessionContext.Provider>
  );
}
