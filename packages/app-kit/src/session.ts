// Browser sign-in against the server's /auth routes: it answers with an httpOnly cookie, so the
// page never holds a token. Same-origin fetches send the Origin header the server's CSRF check wants.

export interface DemoUser {
  key: string;
  email: string;
  name: string;
  operatorRole: 'viewer' | 'editor' | 'owner' | null;
  workspace: { slug: string; role: string } | null;
}

export interface DemoUsers {
  enabled: boolean;
  users: DemoUser[];
}

export type SignInRequest = { demoUser: string } | { token: string };

export class SignInError extends Error {}

async function send(method: 'POST' | 'DELETE', body?: SignInRequest): Promise<void> {
  const response = await fetch('/auth/session', {
    method,
    credentials: 'same-origin',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.ok) return;
  const payload = (await response.json().catch(() => ({}))) as { error?: string };
  throw new SignInError(payload.error ?? `Sign-in failed (HTTP ${response.status})`);
}

export const signIn = (request: SignInRequest) => send('POST', request);
export const signOut = () => send('DELETE');

/** The development demo picker; `enabled: false` in production, where only tokens sign in. */
export async function demoUsers(): Promise<DemoUsers> {
  const response = await fetch('/auth/demo-users', { credentials: 'same-origin' });
  if (!response.ok) return { enabled: false, users: [] };
  return (await response.json()) as DemoUsers;
}
