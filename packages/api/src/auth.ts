import { hashToken } from '@stagegate/db';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { OperatorRole, WorkspaceRole } from './contract/access.js';
import { DomainError } from './contract/errors.js';
import type { AuthFailureReason } from './metrics.js';
import type { Principal, WorkspaceSeat } from './policy.js';
import type { Services } from './services.js';

/** How long a resolved token is trusted without asking the database (also how late a revocation bites). */
const TOKEN_TTL_MS = 10_000;
/**
 * While the database is unreachable, identities resolved within this long keep working, so reads
 * go on being served through an outage; a revocation made meanwhile bites once the database is back.
 */
export const TOKEN_STALE_MAX_MS = 15 * 60_000;
const MAX_CACHED_TOKENS = 10_000;
/** lastUsedAt is a hint for owners, not a log: one write a minute per token is plenty. */
const LAST_USED_INTERVAL_MS = 60_000;
/** Longer than any token we issue; such a header is unknown without hashing megabytes. */
const MAX_TOKEN_LENGTH = 512;
/** Failed sign-ins one client address may make per minute before it waits (tokens that resolved recently still pass). */
export const AUTH_FAILURES_PER_MINUTE = 30;

export interface Credentials {
  /** The Authorization header: `Bearer <token>`. Wins over a session cookie. */
  authorization?: string | undefined;
  /** The session cookie's value. */
  session?: string | undefined;
  /** X-Workspace-Id: a workspace id or slug; optional for users with one workspace. */
  workspace?: string | undefined;
  /** Who is asking, for the failed-sign-in limit (the socket's address). */
  address?: string | undefined;
  /** 'priority': look the token up on the reserved connections (an emergency call must not queue behind a burst for it). */
  lane?: 'main' | 'priority';
}

export type AuthOutcome = { auth: Principal | null; error: null } | { auth: null; error: DomainError };

interface ResolvedToken {
  id: string;
  kind: 'user' | 'service' | 'session';
  name: string;
  revoked: boolean;
  expiresAt: number | null;
  user: { id: string; email: string; name: string; operatorRole: OperatorRole | null } | null;
  memberships: WorkspaceSeat[];
}

interface Cached {
  token: ResolvedToken | null;
  loadedAt: number;
}

/** One per Services (= per API process). Keyed by the token as presented, so a warm request hashes nothing. */
class TokenResolver {
  readonly entries = new LRUCache<string, Cached>({ max: MAX_CACHED_TOKENS });
  private readonly loads = new Map<string, Promise<ResolvedToken | null>>();
  private readonly lastUsedWrites = new LRUCache<string, number>({ max: MAX_CACHED_TOKENS });
  readonly failures = new RateLimiterMemory({ points: AUTH_FAILURES_PER_MINUTE, duration: 60 });

  constructor(private readonly services: Services) {}

  /** A fresh cached answer, or undefined when the database must be asked. */
  cached(plaintext: string): Cached | undefined {
    const hit = this.entries.get(plaintext);
    return hit && Date.now() - hit.loadedAt < TOKEN_TTL_MS ? hit : undefined;
  }

  /** A token that resolved to someone recently: refreshing it costs one query per TTL, whatever an attacker sprays. */
  knownGood(plaintext: string): boolean {
    const hit = this.entries.get(plaintext);
    return hit?.token != null && Date.now() - hit.loadedAt < TOKEN_STALE_MAX_MS;
  }

  async resolve(plaintext: string, lane: 'main' | 'priority' = 'main'): Promise<ResolvedToken | null> {
    let load = this.loads.get(plaintext);
    if (!load) {
      load = this.load(hashToken(plaintext), lane)
        .then((token) => {
          this.entries.set(plaintext, { token, loadedAt: Date.now() });
          return token;
        })
        .catch((error: unknown) => {
          // The database is unreachable: trust what this token resolved to recently, or say BUSY.
          const stale = this.entries.get(plaintext);
          if (stale?.token && Date.now() - stale.loadedAt < TOKEN_STALE_MAX_MS) return stale.token;
          throw new DomainError('BUSY', 'Sign-in is unavailable for a moment: retry shortly', { retryAfterSeconds: 5, cause: error });
        })
        .finally(() => this.loads.delete(plaintext));
      this.loads.set(plaintext, load);
    }
    return load;
  }

  private async load(tokenHash: string, lane: 'main' | 'priority'): Promise<ResolvedToken | null> {
    const client = lane === 'priority' ? this.services.db.priority : this.services.db.prisma;
    const row = await client.apiToken.findUnique({
      where: { tokenHash },
      select: {
        id: true,
        kind: true,
        name: true,
        revokedAt: true,
        expiresAt: true,
        user: {
          select: {
            id: true,
            email: true,
            name: true,
            operatorRole: true,
            memberships: { select: { role: true, workspace: { select: { id: true, slug: true, name: true } } }, orderBy: { createdAt: 'asc' } },
          },
        },
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      revoked: row.revokedAt !== null,
      expiresAt: row.expiresAt?.getTime() ?? null,
      user: row.user && { id: row.user.id, email: row.user.email, name: row.user.name, operatorRole: row.user.operatorRole },
      memberships: (row.user?.memberships ?? []).map((m) => ({ ...m.workspace, role: m.role as WorkspaceRole })),
    };
  }

  noteUse(tokenId: string) {
    const now = Date.now();
    const last = this.lastUsedWrites.get(tokenId);
    if (last !== undefined && now - last < LAST_USED_INTERVAL_MS) return;
    this.lastUsedWrites.set(tokenId, now);
    // Not awaited: the request does not wait for bookkeeping, and a failed write only loses a hint.
    this.services.db.prisma.apiToken
      .updateMany({ where: { id: tokenId }, data: { lastUsedAt: this.services.now() } })
      .catch(() => this.lastUsedWrites.delete(tokenId));
  }

  /** Drops what this process cached for a token at once (sign-out, revoke); other processes within TOKEN_TTL_MS. */
  forget(tokenId: string) {
    for (const [plaintext, entry] of this.entries.entries()) if (entry.token?.id === tokenId) this.entries.delete(plaintext);
  }
}

// One resolver per Services (= per API process), without widening the Services interface.
const resolvers = new WeakMap<Services, TokenResolver>();
export function tokenResolver(services: Services): TokenResolver {
  let resolver = resolvers.get(services);
  if (!resolver) resolvers.set(services, (resolver = new TokenResolver(services)));
  return resolver;
}

function unauthorized(services: Services, reason: AuthFailureReason, message: string) {
  services.metrics.authFailures.inc({ reason });
  return { auth: null, error: new DomainError('UNAUTHORIZED', message) } as const;
}

async function refused(services: Services, resolver: TokenResolver, address: string | undefined, reason: AuthFailureReason, message: string): Promise<AuthOutcome> {
  if (address) await resolver.failures.penalty(address, 1).catch(() => undefined);
  return unauthorized(services, reason, message);
}

/** Picks the workspace a call acts in: the one named, else the user's only one. */
function seatFor(memberships: WorkspaceSeat[], wanted: string | undefined): { workspace: WorkspaceSeat | null; workspaceError: DomainError | null } {
  if (wanted) {
    const seat = memberships.find((m) => m.id === wanted || m.slug === wanted);
    return seat ? { workspace: seat, workspaceError: null } : { workspace: null, workspaceError: new DomainError('FORBIDDEN', 'You are not a member of that workspace') };
  }
  if (memberships.length === 1) return { workspace: memberships[0]!, workspaceError: null };
  if (memberships.length === 0) return { workspace: null, workspaceError: new DomainError('FORBIDDEN', 'You are not a member of any workspace') };
  return { workspace: null, workspaceError: new DomainError('WORKSPACE_REQUIRED', 'You belong to several workspaces: say which one with the X-Workspace-Id header') };
}

/**
 * Who is calling. No credential → no principal and no error (public procedures still run); a bad
 * or revoked one → UNAUTHORIZED; too many failures from one address → RATE_LIMITED without asking
 * the database. Which workspace the call acts in is resolved here; whether that matters is policy's.
 */
export async function authenticate(services: Services, credentials: Credentials): Promise<AuthOutcome> {
  const header = credentials.authorization?.trim();
  let plaintext: string | undefined;
  let via: 'token' | 'session' = 'token';
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return unauthorized(services, 'malformed', 'Use an Authorization header of the form "Bearer <token>"');
    plaintext = match[1];
  } else if (credentials.session) {
    plaintext = credentials.session;
    via = 'session';
  } else {
    return { auth: null, error: null };
  }

  const resolver = tokenResolver(services);
  const { address } = credentials;
  let token: ResolvedToken | null;
  const cached = plaintext.length > MAX_TOKEN_LENGTH ? { token: null, loadedAt: 0 } : resolver.cached(plaintext);
  if (cached) {
    token = cached.token;
  } else {
    const limit = address && !resolver.knownGood(plaintext) ? await resolver.failures.get(address) : null;
    if (limit && limit.consumedPoints >= AUTH_FAILURES_PER_MINUTE) {
      const seconds = Math.max(1, Math.ceil(limit.msBeforeNext / 1000));
      services.metrics.authFailures.inc({ reason: 'rate_limited' });
      return { auth: null, error: new DomainError('RATE_LIMITED', `Too many failed sign-ins from your address: retry in ${seconds} s`, { retryAfterSeconds: seconds }) };
    }
    try {
      token = await resolver.resolve(plaintext, credentials.lane);
    } catch (error) {
      return { auth: null, error: error instanceof DomainError ? error : new DomainError('BUSY', 'Sign-in is unavailable for a moment: retry shortly', { retryAfterSeconds: 5 }) };
    }
  }
  if (!token) return refused(services, resolver, address, 'unknown_token', via === 'session' ? 'Your session has ended: sign in again' : 'Unknown API token');
  if (token.revoked) return refused(services, resolver, address, 'revoked', via === 'session' ? 'Your session has ended: sign in again' : 'This API token has been revoked');
  if (token.expiresAt !== null && token.expiresAt <= Date.now()) return refused(services, resolver, address, 'expired', 'Your session has ended: sign in again');
  // A session id in an Authorization header, or an API token in the cookie, is not how either is meant to travel.
  if ((token.kind === 'session') !== (via === 'session')) return refused(services, resolver, address, 'wrong_transport', via === 'session' ? 'Your session has ended: sign in again' : 'Unknown API token');
  resolver.noteUse(token.id);

  if (token.kind === 'service') return { auth: { kind: 'service', tokenId: token.id, name: token.name }, error: null };
  if (!token.user) return unauthorized(services, 'no_user', 'This API token belongs to no user');
  const seat = seatFor(token.memberships, credentials.workspace?.trim() || undefined);
  return { auth: { kind: 'user', tokenId: token.id, via, user: token.user, memberships: token.memberships, ...seat }, error: null };
}
