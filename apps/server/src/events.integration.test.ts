import { DEMO_TOKENS } from '@stagegate/db/demo';
import { waitFor } from '@stagegate/db/testing';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startHarnessWithServer, type HarnessWithServer } from './testing/server.js';
import type { AppRouter, ClientChange } from '@stagegate/api';

let h: HarnessWithServer;
beforeAll(async () => {
  h = await startHarnessWithServer();
});
afterAll(async () => {
  await h.close();
});

/** Follows events.onChange as one user, over real HTTP + SSE. */
function follow(token: string) {
  const events: ClientChange[] = [];
  const errors: unknown[] = [];
  const subscription = h.server.client(bearer(token)).events.onChange.subscribe(undefined, {
    onData: (event) => events.push(event),
    onError: (error) => errors.push(error),
  });
  return { events, errors, stop: () => subscription.unsubscribe() };
}

describe('events.onChange over SSE', () => {
  it("delivers flag changes and the caller's own changes, never another user's", async () => {
    const member = follow(DEMO_TOKENS.member);
    try {
      // The first event says the stream is live (and that anything before it may have been missed).
      await waitFor(() => member.events.length > 0, 5_000, 'the stream to go live');
      expect(member.events[0]).toEqual({ kind: 'reset' });

      const admin = h.server.client(bearer(DEMO_TOKENS.admin));
      const memberClient = h.server.client(bearer(DEMO_TOKENS.member));
      await admin.betaFeatures.toggle.mutate({ key: 'auto-tagging-v2', enabled: true });
      await memberClient.betaFeatures.toggle.mutate({ key: 'auto-tagging-v2', enabled: true });
      await waitFor(() => member.events.some((e) => e.kind === 'user'), 5_000, "the member's own change");

      await h.server.client(bearer(DEMO_TOKENS.editor)).admin.flags.kill.mutate({ key: 'global-chat-enabled', reason: 'incident 42: chat leaks drafts' });
      await waitFor(() => member.events.some((e) => e.kind === 'flags'), 5_000, 'the kill switch');
      // Room for the admin's change to arrive late through LISTEN/NOTIFY, were it ever let through.
      await new Promise((resolve) => setTimeout(resolve, 300));

      const userEvents = member.events.filter((e) => e.kind === 'user');
      expect(userEvents.length).toBeGreaterThan(0);
      expect(userEvents.every((e) => e.userId === h.seed.memberId)).toBe(true);
      expect(member.errors).toEqual([]);
    } finally {
      member.stop();
    }
  });

  it("tells the admin about the admin's own toggle but not the member's", async () => {
    const admin = follow(DEMO_TOKENS.admin);
    try {
      await waitFor(() => admin.events.length > 0, 5_000, 'the stream to go live');
      await h.server.client(bearer(DEMO_TOKENS.member)).betaFeatures.toggle.mutate({ key: 'internal-search', enabled: true });
      await h.server.client(bearer(DEMO_TOKENS.admin)).betaFeatures.toggle.mutate({ key: 'internal-search', enabled: true });
      await waitFor(() => admin.events.some((e) => e.kind === 'user'), 5_000, "the admin's own change");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const userEvents = admin.events.filter((e) => e.kind === 'user');
      expect(userEvents.length).toBeGreaterThan(0);
      expect(userEvents.every((e) => e.userId === h.seed.adminId)).toBe(true);
    } finally {
      admin.stop();
    }
  });

  it('refuses a caller without a valid token', async () => {
    const stranger = follow('not-a-token');
    try {
      await waitFor(() => stranger.errors.length > 0, 5_000, 'the subscription to fail');
      expect(stranger.events).toEqual([]);
      const error = stranger.errors[0];
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    } finally {
      stranger.stop();
    }
  });
});
