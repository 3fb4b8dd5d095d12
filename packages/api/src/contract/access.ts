/** Operators: the company's people who run releases, independent of any workspace. Ranked. */
export const OPERATOR_ROLES = ['viewer', 'editor', 'owner'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** Roles in a customer workspace. */
export const WORKSPACE_ROLES = ['member', 'admin'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/**
 * Who may call a procedure or route, one level each:
 * - `public`: anyone (sign-in);
 * - `signedIn`: any signed-in user, in a workspace or not (session, who am I);
 * - `member` / `workspaceAdmin`: a user acting in one of their workspaces, with that role there;
 * - `viewer` / `editor` / `owner`: an operator with at least that role;
 * - `sdk`: a service token, or an operator viewer (what backend SDKs read).
 */
export const ACCESS_LEVELS = ['public', 'signedIn', 'member', 'workspaceAdmin', 'viewer', 'editor', 'owner', 'sdk'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export const operatorRank = (role: OperatorRole | null | undefined): number => (role ? OPERATOR_ROLES.indexOf(role) + 1 : 0);
