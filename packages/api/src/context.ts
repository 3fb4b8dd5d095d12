import type { DomainError } from './contract/errors.js';
import type { Principal } from './policy.js';
import type { Services } from './services.js';

export interface Context {
  services: Services;
  auth: Principal | null;
  /** Why authentication failed, raised by procedures that need a caller (public ones still run). */
  authError: DomainError | null;
}

/** The context without HTTP: what tests, the CLI's break-glass mode and the HTTP host build. */
export function createContextInner(opts: { services: Services; auth?: Principal | null; authError?: DomainError | null }): Context {
  return { services: opts.services, auth: opts.auth ?? null, authError: opts.authError ?? null };
}
