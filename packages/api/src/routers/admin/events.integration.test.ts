// admin.events.onChange over real SSE: an operator (no workspace) hears every change; a member is refused.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { waitFor } from '@stagegate/db/testing';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../auth.js';
import { createContextInner } from '../../context.js';
import { appRouter, type AppRouter } from '../../router.js';
import { startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
let server: ReturnType<typeof createHTTPServer>;
let url: string;
beforeAll(async () => {
  h = await startHarness();
  server = createHTTPServer({
    router: appRouter,
    createContext: async ({ req }) => {
      const { auth, error } = await authenticate(h.services, { authorization: req.headers.authorization });
      return createContextInner({ services: h.services, auth, authError: error });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await h.close();
});

function follow(token: string) {
  const kinds: string[] = [];
  const errors: string[] = [];
  const client = createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url,
        EventSource,
        eventSourceOptions: { fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }) },
      }),
    ],
  });
  const subscription = client.admin.events.onChange.subscribe(undefined, {
    onData: (event) => kinds.push(event.kind),
    onError: (error) => errors.push(String((error.data as { code?: string } | undefined)?.code)),
  });
  return { kinds, errors, stop: () => subscription.unsubscribe() };
}

describe('admin.events.onChange', () => {
  it('an operator viewer hears a reset, then every kind of change, in any workspace', async () => {
    const viewer = follow(DEMO_TOKENS.viewer);
    try {
      await waitFor(() => viewer.kinds.length > 0, 5_000, 'the stream to go live');
      h.services.changes.announce({ kind: 'flags' });
      h.services.changes.announce({ kind: 'user', userId: h.seed.memberId });
      h.services.changes.announce({ kind: 'workspace', workspaceId: h.seed.acmeWorkspaceId });
      await waitFor(() => viewer.kinds.length >= 4, 5_000, 'the three changes');
      expect(viewer.kinds).toEqual(['reset', 'flags', 'user', 'workspace']);
    } finally {
      viewer.stop();
    }
  });

  it('refuses a member: the stream is for operators', async () => {
    const member = follow(DEMO_TOKENS.member);
    try {
      await waitFor(() => member.errors.length > 0, 5_000, 'the refusal');
      expect(member.errors[0]).toBe('FORBIDDEN');
      expect(member.kinds).toEqual([]);
    } finally {
      member.stop();
    }
  });
});
