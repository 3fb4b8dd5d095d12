import { createContext, useContext } from 'react';
import type { Whoami } from '../lib/trpc.js';

export interface Session extends Whoami {
  /** Workspace admins get Settings → Workspace betas. */
  isWorkspaceAdmin: boolean;
  /** Called after sign-out or a workspace switch: everything cached belonged to the old session. */
  resetSession(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in shell');
  return session;
}
