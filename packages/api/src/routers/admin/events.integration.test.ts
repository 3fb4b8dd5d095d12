// admin.events.onChange over real SSE: an operator (no workspace) hears every change; a member is refused.
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { waitFor } from '@stagegate/db/testing';
import { describe, expect, it } from 'vitest';
import { sseClient, sseSuite } from '../../testing/sse.js';

const suite = sseSuite();

function follow(token: string) {
  const kinds: string[] = [];
  const errors: string[] = [];
  const client = sseClient(suite.server.url, token);
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
      suite.h.services.changes.announce({ kind: 'flags' });
      suite.h.services.changes.announce({ kind: 'user', userId: suite.h.seed.memberId });
      suite.h.services.changes.announce({ kind: 'workspace', workspaceId: suite.h.seed.acmeWorkspaceId });
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
