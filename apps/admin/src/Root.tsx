import { signOut } from '@stagegate/app-kit/session';
import { StartupError, StartupLoading } from '@stagegate/ui/startup-state';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { OperatorContext, type Operator } from './auth/OperatorContext.js';
import { RefusalPage } from './auth/RefusalPage.js';
import { SignInPage } from './auth/SignInPage.js';
import { errorCode, errorMessage } from './lib/errors.js';
import { trpc } from './lib/trpc.js';
import { AdminShell } from './shell/AdminShell.js';

/** Signed out → sign-in; signed in but not an operator → the refusal page; an operator → the dashboard. */
export function Root() {
  const queryClient = useQueryClient();
  const whoami = trpc.session.whoami.useQuery(undefined, { retry: (count, error) => errorCode(error) !== 'UNAUTHORIZED' && count < 1 });
  const { refetch } = whoami;
  const resetSession = useCallback(() => {
    queryClient.clear();
    void refetch();
  }, [queryClient, refetch]);
  const endSession = useCallback(() => {
    void signOut().finally(resetSession);
  }, [resetSession]);

  const who = whoami.data;
  const operator = useMemo<Operator | null>(
    () => (who?.user?.operatorRole ? { user: who.user, role: who.user.operatorRole, signOut: endSession } : null),
    [who, endSession],
  );

  if (whoami.isPending) return <StartupLoading label="Loading the dashboard" wide />;
  if (whoami.error && errorCode(whoami.error) === 'UNAUTHORIZED') return <SignInPage onSignedIn={resetSession} />;
  if (whoami.error || !who?.user) {
    return <StartupError description={errorMessage(whoami.error)} onRetry={() => void whoami.refetch()} retrying={whoami.isFetching} />;
  }
  if (!operator) return <RefusalPage name={who.user.name} email={who.user.email} onSignOut={endSession} />;
  return (
    <OperatorContext.Provider value={operator}>
      <AdminShell />
    </OperatorContext.Provider>
  );
}
