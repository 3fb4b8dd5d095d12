import { operatorRank, type Access, type OperatorRole, type WorkspaceRole } from './contract/access.js';
import { DomainError } from './contract/errors.js';

/** A customer workspace the user belongs to, with their role there. */
export interface WorkspaceSeat {
  id: string;
  slug: string;
  name: string;
  role: WorkspaceRole;
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  /** null: a customer's user, not one of the company's operators. */
  operatorRole: OperatorRole | null;
}

/** Who is calling, as authentication found them; what they may do is this module's call alone. */
export type Principal =
  | {
      kind: 'user';
      tokenId: string;
      /** A browser session cookie, or a bearer token. */
      via: 'session' | 'token';
      user: SignedInUser;
      memberships: WorkspaceSeat[];
      /** The workspace this call acts in (X-Workspace-Id, or the user's only one); null with the reason. */
      workspace: WorkspaceSeat | null;
      workspaceError: DomainError | null;
    }
  | { kind: 'service'; tokenId: string; name: string };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** A user acting in one of their workspaces. */
export interface MemberGrant {
  principal: UserPrincipal;
  user: SignedInUser;
  workspace: WorkspaceSeat;
}

export interface OperatorGrant {
  principal: UserPrincipal;
  user: SignedInUser;
  role: OperatorRole;
}

const denied = (message: string) => new DomainError('FORBIDDEN', message);

function signedIn(auth: Principal | null, authError: DomainError | null): Principal {
  if (authError) throw authError;
  if (!auth) throw new DomainError('UNAUTHORIZED', 'Sign in first (a session, or Authorization: Bearer <token>)');
  return auth;
}

export function requireUser(auth: Principal | null, authError: DomainError | null): UserPrincipal {
  const principal = signedIn(auth, authError);
  if (principal.kind !== 'user') throw denied('Service tokens read flags through /api/flags/* and nothing else');
  return principal;
}

export function requireMember(auth: Principal | null, authError: DomainError | null): MemberGrant {
  const principal = requireUser(auth, authError);
  if (principal.workspace) return { principal, user: principal.user, workspace: principal.workspace };
  throw principal.workspaceError ?? denied('You are not a member of any workspace');
}

export function requireWorkspaceAdmin(auth: Principal | null, authError: DomainError | null): MemberGrant {
  const grant = requireMember(auth, authError);
  if (grant.workspace.role !== 'admin') throw denied(`Only admins of ${grant.workspace.name} can change its beta policy`);
  return grant;
}

export function requireOperator(auth: Principal | null, authError: DomainError | null, role: OperatorRole): OperatorGrant {
  const principal = requireUser(auth, authError);
  const held = principal.user.operatorRole;
  if (!held || operatorRank(held) < operatorRank(role)) {
    throw denied(role === 'viewer' ? 'Only Stagegate operators can see this' : `Only operators with the ${role} role${role === 'owner' ? '' : ' or above'} can do this`);
  }
  return { principal, user: principal.user, role: held };
}

/** Backend SDKs: a service token, or an operator (who may read everything SDKs read). */
export function requireSdkReader(auth: Principal | null, authError: DomainError | null): Principal {
  const principal = signedIn(auth, authError);
  if (principal.kind === 'service') return principal;
  requireOperator(principal, null, 'viewer');
  return principal;
}

/** The one question every entry point asks: may this caller use something at this access level? Throws if not. */
export function checkAccess(access: Access, auth: Principal | null, authError: DomainError | null): void {
  switch (access) {
    case 'public':
      return;
    case 'signedIn':
      return void requireUser(auth, authError);
    case 'member':
      return void requireMember(auth, authError);
    case 'workspaceAdmin':
      return void requireWorkspaceAdmin(auth, authError);
    case 'viewer':
    case 'editor':
    case 'owner':
      return void requireOperator(auth, authError, access);
    case 'sdk':
      return void requireSdkReader(auth, authError);
  }
}
