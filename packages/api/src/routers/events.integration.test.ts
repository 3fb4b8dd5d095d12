import { DEMO_TOKENS } from '@stagegate/db';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startLiveServer, trpcClient, type LiveServer } from '../../test/liveServer.js';
import type { AppRouter } from '../router.js';
import type { ClientChange } from './events.js';

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(async () => {
  await live.close();
});

/** Follows events.onChange as one user, over real HTTP + SSE. */
function follow(token: string) {
  const events: ClientChange[] = [];
  const errors: unknown[] = [];
  const subscription = trpcClient(live.url, token).events.onChange.subscribe(undefined, {
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
      await eventually('the stream is live', () => member.events.length > 0);
      expect(member.events[0]).toEqual({ kind: 'reset' });

      const admin = trpcClient(live.url, DEMO_TOKENS.admin);
      const memberClient = trpcClient(live.url, DEMO_TOKENS.member);
      await admin.betaFeatures.toggle.mutate({ key: 'auto-tagging-v2', enabled: true });
      await memberClient.betaFeatures.toggle.mutate({ key: 'auto-tagging-v2', enabled: true });
      await eventually("the member's own change arrives", () => member.events.some((e) => e.kind === 'user'));

      await admin.admin.flags.kill.mutate({ key: 'global-chat-enabled', reason: 'incident 42: chat leaks drafts' });
      await eventually('the kill switch arrives', () => member.events.some((e) => e.kind === 'flags'));
      // Room for the admin's change to arrive late through LISTEN/NOTIFY, were it ever let through.
      await new Promise((resolve) => setTimeout(resolve, 300));

      const userEvents = member.events.filter((e) => e.kind === 'user');
      expect(userEvents.length).toBeGreaterThan(0);
      expect(userEvents.every((e) => e.userId === live.seed.memberId)).toBe(true);
      expect(member.errors).toEqual([]);
    } finally {
      member.stop();
    }
  });

  it("tells the admin about the admin's own toggle but not the member's", async () => {
    const admin = follow(DEMO_TOKENS.admin);
    try {
      await eventually('the stream is live', () => admin.events.length > 0);
      await trpcClient(live.url, DEMO_TOKENS.member).betaFeatures.toggle.mutate({ key: 'internal-search', enabled: true });
      await trpcClient(live.url, DEMO_TOKENS.admin).betaFeatures.toggle.mutate({ key: 'internal-search', enabled: true });
      await eventually("the admin's own change arrives", () => admin.events.some((e) => e.kind === 'user'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const userEvents = admin.events.filter((e) => e.kind === 'user');
      expect(userEvents.length).toBeGreaterThan(0);
      expect(userEvents.every((e) => e.userId === live.seed.adminId)).toBe(true);
    } finally {
      admin.stop();
    }
  });

  it('refuses a caller without a valid token', async () => {
    const stranger = follow('not-a-token');
    try {
      await eventually('the subscription fails', () => stranger.errors.length > 0);
      expect(stranger.events).toEqual([]);
      const error = stranger.errors[0];
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    } finally {
      stranger.stop();
    }
  });
});
