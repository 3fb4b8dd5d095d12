// Component tests talk to a fake API: a tRPC link that answers each procedure from a handler, so
// the real hooks, cache and optimistic updates run without a server.
import { render } from '@testing-library/react';
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '@stagegate/api';
import type { ReactElement } from 'react';
import { Toaster } from 'sonner';
import { SessionContext, type Session } from '../auth/SessionContext.js';
import { ApiProvider } from '../lib/ApiProvider.js';
import type { BetaFeature } from '../lib/trpc.js';

export type Handler = (input: unknown) => unknown;

/** A refusal as the server sends it: a message and a stable code in error.data.code. */
export function refusal(code: string, message: string): TRPCClientError<AppRouter> {
  return TRPCClientError.from({ error: { code: -32603, message, data: { code, httpStatus: 404 } } });
}

function fakeLink(handlers: Record<string, Handler>): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const handler = handlers[op.path];
        if (!handler) return () => undefined; // e.g. the event stream: stays silent
        Promise.resolve()
          .then(() => handler(op.input))
          .then(
            (data) => {
              observer.next({ result: { type: 'data', data } });
              observer.complete();
            },
            (error: unknown) => observer.error(error instanceof TRPCClientError ? error : TRPCClientError.from(error as Error)),
          );
        return () => undefined;
      });
}

export const MEMBER_SESSION: Session = {
  user: { id: 'u1', email: 'member@stagegate.dev', name: 'Max Member', operatorRole: null },
  via: 'session',
  workspaces: [{ id: 'w1', slug: 'demo', name: 'Demo Workspace', role: 'member' }],
  workspace: { id: 'w1', slug: 'demo', name: 'Demo Workspace', role: 'member' },
  isWorkspaceAdmin: false,
  resetSession: () => undefined,
};

export function renderWithApi(ui: ReactElement, handlers: Record<string, Handler>, session: Session = MEMBER_SESSION) {
  return render(
    <ApiProvider links={[fakeLink(handlers)]}>
      <SessionContext.Provider value={session}>{ui}</SessionContext.Provider>
      <Toaster />
    </ApiProvider>,
  );
}

export function feature(fields: Partial<BetaFeature> & Pick<BetaFeature, 'key' | 'name'>): BetaFeature {
  return { description: `${fields.name} does things`, stage: 'beta', enabled: false, reason: 'DEFAULT', kbArticle: null, category: 'general', ...fields };
}

export const listOf = (features: BetaFeature[]) => ({ features, meta: { totalAvailable: features.length, totalEnabled: features.filter((f) => f.enabled).length } });

/** A promise the test settles when it chooses: the server "thinking". */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
