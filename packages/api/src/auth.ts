import type { TRPCError } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { hashToken, type Role } from '@stagegate/db';
import { createContextInner, type Auth, type Context } from './context.js';
import { domainError } from './errors.js';
import type { Services } from './services.js';

/** How long a resolved token is trusted without asking the database (also how late a revocation bites). */
const TOKEN_TTL_MS = 10_000;
const MAX_CACHED_TOKENS = 10_000;
/** lastUsedAt is a hint for admins, not a log: one write a minute per token is plenty. */
const LAST_USED_INTERVAL_MS = 60_000;
/** Longer than any token we issue; such a header is unknown without hashing megabytes. */
const MAX_TOKEN_LENGTH = 512;

export interface AuthHeaders {
  /** `Bearer <token>` */
  authorization?: string | undefined;
  /** X-Workspace-Id: a workspace id or slug; optional for users with one workspace. */
  workspace?: string | undefined;
}

export type AuthOutcome = { auth: Auth | null; error: null } | { auth: null; error: TRPCError };

interface ResolvedToken {
  id: string;
  kind: 'user' | 'service';
  name: string;
  revoked: boolean;
  user: { id: string; email: string; name: string } | null;
  memberships: Array<{ workspaceId: string; slug: string; role: Role }>;
}

interface TokenCache {
  /** Token hash → what it resolved to (null: unknown), in insertion order so the oldest goes first. */
  entries: Map<string, { token: ResolvedToken | null; loadedAt: number }>;
  loads: Map<string, Promise<ResolvedToken | null>>;
  lastUsedWrites: Map<string, number>;
}

// One cache per Services (= per API process), without widening the Services interface.
const caches = new WeakMap<Services, TokenCache>();

function cacheOf(services: Services): TokenCache {
  let cache = caches.get(services);
  if (!cache) {
    cache = { entries: new Map(), loads: new Map(), lastUsedWrites: new Map() };
    caches.set(services, cache);
  }
  return cache;
}

function remember<V>(map: Map<string, V>, key: string, value: V) {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_CACHED_TOKENS) map.delete(map.keys().next().value as string);
}

async function loadToken(services: Services, tokenHash: string): Promise<ResolvedToken | null> {
  const row = await services.db.prisma.apiToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      kind: true,
      name: true,
      revokedAt: true,
      user: {
        select: { id: true, email: true, name: true, memberships: { select: { role: true, workspace: { select: { id: true, slug: true } } } } },
      },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    revoked: row.revokedAt !== null,
    user: row.user && { id: row.user.id, email: row.user.email, name: row.user.name },
    memberships: (row.user?.memberships ?? []).map((m) => ({ workspaceId: m.workspace.id, slug: m.workspace.slug, role: m.role })),
  };
}

async function resolveToken(services: Services, tokenHash: string): Promise<ResolvedToken | null> {
  const cache = cacheOf(services);
  const cached = cache.entries.get(tokenHash);
  if (cached && Date.now() - cached.loadedAt < TOKEN_TTL_MS) return cached.token;
  let load = cache.loads.get(tokenHash);
  if (!load) {
    load = loadToken(services, tokenHash)
      .then((token) => {
        remember(cache.entries, tokenHash, { token, loadedAt: Date.now() });
        return token;
      })
      .finally(() => cache.loads.delete(tokenHash));
    cache.loads.set(tokenHash, load);
  }
  return load;
}

function noteUse(services: Services, tokenId: string) {
  const cache = cacheOf(services);
  const last = cache.lastUsedWrites.get(tokenId);
  const now = Date.now();
  if (last !== undefined && now - last < LAST_USED_INTERVAL_MS) return;
  remember(cache.lastUsedWrites, tokenId, now);
  // Not awaited: the request does not wait for bookkeeping, and a failed write only loses a hint.
  services.db.prisma.apiToken
    .updateMany({ where: { id: tokenId }, data: { lastUsedAt: services.now() } })
    .catch((error: unknown) => console.error('auth: could not record lastUsedAt', error));
}

/**
 * Who is calling and in which workspace. No Authorization header → no auth and no error (public
 * procedures still run); a bad token → UNAUTHORIZED; a workspace the user is not in → FORBIDDEN.
 */
export async function authenticate(services: Services, headers: AuthHeaders): Promise<AuthOutcome> {
  const header = headers.authorization?.trim();
  if (!header) return { auth: null, error: null };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return { auth: null, error: domainError('UNAUTHORIZED', 'Use an Authorization header of the form "Bearer <token>"') };
  const plaintext = match[1];
  const token = plaintext.length > MAX_TOKEN_LENGTH ? null : await resolveToken(services, hashToken(plaintext));
  if (!token) return { auth: null, error: domainError('UNAUTHORIZED', 'Unknown API token') };
  if (token.revoked) return { auth: null, error: domainError('UNAUTHORIZED', 'This API token has been revoked') };
  noteUse(services, token.id);

  if (token.kind === 'service') return { auth: { kind: 'service', tokenId: token.id, name: token.name }, error: null };
  if (!token.user) return { auth: null, error: domainError('UNAUTHORIZED', 'This API token belongs to no user') };

  const wanted = headers.workspace?.trim();
  let membership: ResolvedToken['memberships'][number] | undefined;
  if (wanted) {
    membership = token.memberships.find((m) => m.workspaceId === wanted || m.slug === wanted);
    if (!membership) return { auth: null, error: domainError('FORBIDDEN', 'You are not a member of that workspace') };
  } else if (token.memberships.length === 1) {
    membership = token.memberships[0];
  } else if (token.memberships.length === 0) {
    return { auth: null, error: domainError('FORBIDDEN', 'You are not a member of any workspace') };
  } else {
    return { auth: null, error: domainError('WORKSPACE_REQUIRED', 'You belong to several workspaces: say which one with the X-Workspace-Id header') };
  }
  if (!membership) return { auth: null, error: domainError('FORBIDDEN', 'You are not a member of that workspace') };
  return { auth: { kind: 'user', tokenId: token.id, user: token.user, workspaceId: membership.workspaceId, role: membership.role }, error: null };
}

const firstHeader = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The tRPC context for an HTTP request. Browsers cannot set headers on an EventSource, so a
 * subscription may pass `{ token, workspaceId }` as tRPC connection params instead.
 */
export function createHttpContext(services: Services) {
  return async ({ req, info }: CreateExpressContextOptions): Promise<Context> => {
    const params = info.connectionParams;
    const authorization = firstHeader(req.headers.authorization) ?? (params?.token ? `Bearer ${params.token}` : undefined);
    const workspace = firstHeader(req.headers['x-workspace-id']) ?? params?.workspaceId ?? undefined;
    const { auth, error } = await authenticate(services, { authorization, workspace });
    return createContextInner({ services, auth, authError: error });
  };
}
