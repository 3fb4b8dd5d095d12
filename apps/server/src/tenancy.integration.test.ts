// No workspace sees another's data: every read that returns users, audit, analytics or changes is scoped.
import type { ClientChange } from '@stagegate/api';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { waitFor } from '@stagegate/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startHarnessWithServer, type HarnessWithServer } from './testing/server.js';

let h: HarnessWithServer;
beforeAll(async () => {
  h = await startHarnessWithServer();
});
afterAll(async () => {
  await h.close();
});

/** The change kind whether the stream sends bare events or tracked `{ id, data }` envelopes. */
const kindOf = (event: unknown) => ((event as { data?: ClientChange }).data ?? (event as ClientChange)).kind;

function follow(token: string) {
  const kinds: string[] = [];
  const subscription = h.server.client(bearer(token)).events.onChange.subscribe(undefined, { onData: (event) => kinds.push(kindOf(event)) });
  return { kinds, stop: () => subscription.unsubscribe() };
}

describe('tenancy', () => {
  it("delivers a workspace's policy change to its own members' pages only", async () => {
    const demo = follow(DEMO_TOKENS.member);
    const acme = follow(DEMO_TOKENS.acmeMember);
    try {
      await waitFor(() => demo.kinds.length > 0 && acme.kinds.length > 0, 5_000, 'both streams live');
      await h.server.client(bearer(DEMO_TOKENS.acmeAdmin)).workspace.setFlagPolicy.mutate({ flagKey: 'privacy-agent', policy: 'blocked' });
      await waitFor(() => acme.kinds.includes('workspace'), 5_000, "Acme's member hearing of Acme's policy");
      // Room for a stray delivery through LISTEN/NOTIFY, were one ever let through.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(demo.kinds).not.toContain('workspace');
    } finally {
      demo.stop();
      acme.stop();
    }
  });

  it("gives a workspace admin nothing of another workspace: not its policy, members' choices or users", async () => {
    await h.server.client(bearer(DEMO_TOKENS.member)).betaFeatures.toggle.mutate({ key: 'auto-tagging-v2', enabled: true });
    const acmePolicy = await h.server.client(bearer(DEMO_TOKENS.acmeAdmin)).workspace.policy.query();
    expect(acmePolicy.workspace.slug).toBe('acme');
    expect(acmePolicy.betas.find((b) => b.key === 'auto-tagging-v2')?.optedIn).toBe(0);
    // Naming the other workspace does not get them in.
    const forged = await h.server.call('workspace.policy', undefined, bearer(DEMO_TOKENS.acmeAdmin, h.seed.workspaceId));
    expect(forged).toEqual({ status: 403, code: 'FORBIDDEN' });
    for (const path of ['admin.audit.list', 'admin.analytics', 'admin.userOverrides.list']) {
      expect(await h.server.call(path, undefined, bearer(DEMO_TOKENS.acmeAdmin)), path).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    const state = await fetch(`${h.server.url}/api/flags/state?userId=${h.seed.memberId}&workspaceId=${h.seed.workspaceId}`, { headers: bearer(DEMO_TOKENS.acmeAdmin) });
    expect(state.status).toBe(403);
  });

  it("answers a member with their own state only: another user's id in the input changes nothing", async () => {
    const before = await h.server.client(bearer(DEMO_TOKENS.acmeMember)).betaFeatures.list.query();
    expect(before.features.find((f) => f.key === 'auto-tagging-v2')?.enabled).toBe(false);
    expect(await h.server.call('betaFeatures.toggle', { key: 'auto-tagging-v2', enabled: true, userId: h.seed.memberId }, bearer(DEMO_TOKENS.acmeMember))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
