// events.onChangeResumable over real SSE (tRPC's standalone HTTP adapter, no framework): ids on
// every event, and a client whose connection drops gets what it missed instead of a reset.
import { DEMO_TOKENS } from '@stagegate/db/demo';
import { waitFor } from '@stagegate/db/testing';
import { describe, expect, it } from 'vitest';
import { sseClient, sseSuite } from '../testing/sse.js';
import type { ClientChange } from './events.js';

const suite = sseSuite();

/** Follows the member's resumable stream as the apps do, recording every event with its id. */
function follow(lastEventId?: string) {
  const events: Array<{ id: string; data: ClientChange }> = [];
  const client = sseClient(suite.server.url, DEMO_TOKENS.member);
  const subscription = client.events.onChangeResumable.subscribe(lastEventId === undefined ? undefined : { lastEventId }, { onData: (event) => events.push(event) });
  return { events, kinds: () => events.map((e) => e.data.kind), stop: () => subscription.unsubscribe() };
}

const workspaceChange = (workspaceId = suite.h.seed.workspaceId) => suite.h.services.changes.announce({ kind: 'workspace', workspaceId });

describe('events.onChangeResumable', () => {
  it('starts with a reset and gives every event its own id', async () => {
    const member = follow();
    try {
      await waitFor(() => member.events.length > 0, 5_000, 'the stream to go live');
      workspaceChange();
      await waitFor(() => member.events.length > 1, 5_000, 'the workspace change');
      expect(member.kinds()).toEqual(['reset', 'workspace']);
      expect(new Set(member.events.map((e) => e.id)).size).toBe(2);
    } finally {
      member.stop();
    }
  });

  it('after a dropped connection, delivers what was missed (only the member’s) without a reset', async () => {
    const member = follow();
    try {
      await waitFor(() => member.events.length > 0, 5_000, 'the stream to go live');
      suite.server.dropConnections();
      // While the client reconnects: another workspace's change (not theirs), then two of theirs.
      workspaceChange(suite.h.seed.acmeWorkspaceId);
      suite.h.services.changes.announce({ kind: 'user', userId: suite.h.seed.memberId, workspaceId: suite.h.seed.workspaceId });
      suite.h.services.changes.announce({ kind: 'flags' });
      await waitFor(() => member.events.length >= 3, 10_000, 'the missed changes after reconnecting');
      expect(member.kinds()).toEqual(['reset', 'user', 'flags']);
    } finally {
      member.stop();
    }
  });

  it("resets when the id is not this process's or is older than what it remembers", async () => {
    const foreign = follow('zzzzzzzz.3');
    const first = follow();
    try {
      await waitFor(() => foreign.events.length > 0 && first.events.length > 0, 5_000, 'both streams to go live');
      expect(foreign.kinds()).toEqual(['reset']);
    } finally {
      foreign.stop();
      first.stop();
    }
    for (let i = 0; i < 600; i += 1) suite.h.services.changes.announce({ kind: 'flags' });
    const stale = follow(first.events[0]!.id);
    try {
      await waitFor(() => stale.events.length > 0, 5_000, 'the stream to go live');
      expect(stale.kinds()).toEqual(['reset']);
    } finally {
      stale.stop();
    }
  });
});
