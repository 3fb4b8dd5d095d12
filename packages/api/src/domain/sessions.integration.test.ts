import { hashToken } from '@stagegate/db';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../auth.js';
import { startHarness, type Harness } from '../testing/harness.js';
import { SESSION_TTL_MS, signIn, signOut } from './sessions.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const asCookie = (session: string) => authenticate(h.services, { session });

describe('browser sessions', () => {
  it('exchanges a user API token for a session that authenticates as the cookie, stored hashed with an expiry', async () => {
    const { session, expiresAt } = await signIn(h.services, { token: DEMO_TOKENS.member }, { demo: false });
    expect(session).toMatch(/^sg_ses_/);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(SESSION_TTL_MS - 60_000);
    expect((await asCookie(session)).auth).toMatchObject({ kind: 'user', via: 'session', user: { id: h.seed.memberId } });
    const row = await h.db.prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(session) } });
    expect(row).toMatchObject({ kind: 'session', userId: h.seed.memberId });
  });

  it('signs in a demo user only where demo sign-in is on', async () => {
    const { session } = await signIn(h.services, { demoUser: 'acmeAdmin' }, { demo: true });
    expect((await asCookie(session)).auth).toMatchObject({ user: { email: 'admin@acme.dev' }, workspace: { slug: 'acme', role: 'admin' } });
    await expect(signIn(h.services, { demoUser: 'owner' }, { demo: false })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a service token, an unknown token and a session as the way to sign a person in', async () => {
    await expect(signIn(h.services, { token: DEMO_TOKENS.service }, { demo: false })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(signIn(h.services, { token: 'not-a-token' }, { demo: false })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const { session } = await signIn(h.services, { token: DEMO_TOKENS.admin }, { demo: false });
    await expect(signIn(h.services, { token: session }, { demo: false })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('signs out at once (this process forgets it), and signing out twice is fine', async () => {
    const { session } = await signIn(h.services, { token: DEMO_TOKENS.member }, { demo: false });
    expect((await asCookie(session)).auth?.kind).toBe('user');
    await signOut(h.services, session);
    expect((await asCookie(session)).error?.code).toBe('UNAUTHORIZED');
    await expect(signOut(h.services, session)).resolves.toBeUndefined();
    await expect(signOut(h.services, 'never-a-session')).resolves.toBeUndefined();
  });
});
