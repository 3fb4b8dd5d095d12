import { generateToken, hashToken } from '@stagegate/db';
import { DEMO_USERS } from '@stagegate/db/demo';
import { z } from 'zod';
import { authenticate, tokenResolver } from '../auth.js';
import { fail } from '../errors.js';
import type { Services } from '../services.js';
import { asDomainError } from './transaction.js';

/** A browser session lasts a working week; signing out ends it at once. */
export const SESSION_TTL_MS = 7 * 86_400_000;

export const DEMO_USER_KEYS = Object.keys(DEMO_USERS) as Array<keyof typeof DEMO_USERS>;
export const SignInInput = z.union([
  z.strictObject({ token: z.string().min(1).max(512) }),
  /** Development only: sign in as one of the seeded demo users. */
  z.strictObject({ demoUser: z.enum(DEMO_USER_KEYS as [keyof typeof DEMO_USERS, ...Array<keyof typeof DEMO_USERS>]) }),
]);

export interface NewSession {
  /** The cookie's value: shown to the browser once, stored only as its SHA-256. */
  session: string;
  expiresAt: Date;
}

async function startSession(services: Services, userId: string): Promise<NewSession> {
  const session = generateToken('session');
  const expiresAt = new Date(services.now().getTime() + SESSION_TTL_MS);
  await asDomainError(services.db.prisma.apiToken.create({ data: { tokenHash: hashToken(session), name: 'Browser session', kind: 'session', userId, expiresAt } }));
  return { session, expiresAt };
}

/**
 * Exchanges a user's API token (or, outside production, a demo user pick) for a session. The
 * token must be a live user token: service tokens and sessions are not ways to sign in a person.
 */
export async function signIn(services: Services, input: z.infer<typeof SignInInput>, options: { demo: boolean; address?: string | undefined }): Promise<NewSession> {
  if ('demoUser' in input) {
    if (!options.demo) fail('FORBIDDEN', 'Demo sign-in is off on this server');
    const user = await asDomainError(services.db.prisma.user.findUnique({ where: { email: DEMO_USERS[input.demoUser].email }, select: { id: true } }));
    if (!user) fail('USER_NOT_FOUND', 'The demo users are not seeded on this server');
    return startSession(services, user.id);
  }
  // The same authentication as every request: failures count against the address's limit.
  const { auth, error } = await authenticate(services, { authorization: `Bearer ${input.token}`, address: options.address });
  if (error) throw error;
  if (auth?.kind !== 'user') fail('UNAUTHORIZED', 'That is not a user API token');
  return startSession(services, auth.user.id);
}

/** Ends the session behind this cookie value (idempotent: an unknown or ended one is fine). */
export async function signOut(services: Services, session: string): Promise<void> {
  const row = await asDomainError(services.db.prisma.apiToken.findUnique({ where: { tokenHash: hashToken(session) }, select: { id: true, kind: true } }));
  if (!row || row.kind !== 'session') return;
  await asDomainError(services.db.prisma.apiToken.update({ where: { id: row.id }, data: { revokedAt: services.now() } }));
  tokenResolver(services).forget(row.id);
}
