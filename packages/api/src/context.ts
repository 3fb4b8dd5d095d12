import type { TRPCError } from '@trpc/server';
import type { Role } from '@stagegate/db';
import type { Services } from './services.js';

export type Auth =
  | { kind: 'user'; tokenId: string; user: { id: string; email: string; name: string }; workspaceId: string; role: Role }
  | { kind: 'service'; tokenId: string; name: string };

export interface Context {
  services: Services;
  auth: Auth | null;
  /** Why authentication failed, raised by procedures that need a caller (public ones still run). */
  authError: TRPCError | null;
}

/** The context without HTTP: what tests and in-process callers build. */
export function createContextInner(opts: { services: Services; auth?: Auth | null; authError?: TRPCError | null }): Context {
  return { services: opts.services, auth: opts.auth ?? null, authError: opts.authError ?? null };
}
