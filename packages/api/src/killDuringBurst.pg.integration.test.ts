import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing/harness.js';

// The case: a kill sent 1 s into a burst of 2,000 opt-in toggles returned after 4.5 s. Through
// the API, kill runs on db.priority, so it does not queue behind the burst for a main-pool connection,
// in one statement (each round trip waits a turn of the busy event loop).
// PostgreSQL only: PGlite is one backend, where everything queues alike.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Warm, as a server that has been running: both lanes hold a connection, the caller's token is cached.
  await Promise.all([h.db.prisma.$queryRaw`SELECT 1`, h.services.db.priority.$queryRaw`SELECT 1`, h.editor.admin.flags.get({ key: 'auto-tagging-v2' })]);
});
afterAll(async () => {
  await h.close();
});

describe('admin.flags.kill during a burst of 2,000 toggles', () => {
  // Not a stopwatch (a busy machine would make that flaky; `pnpm bench` reports the milliseconds): the
  // kill must commit while most of the burst is still waiting, i.e. it did not queue behind it.
  // Sent once a tenth of the burst has settled rather than after a fixed second: on a fast server
  // (fsync off) the whole burst can be over within that second.
  it('commits ahead of the toggles queued before it, sent mid-burst', async () => {
    let toggled = 0;
    let tenthToggled!: () => void;
    const underway = new Promise<void>((resolve) => (tenthToggled = resolve));
    const burst = Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        h.member.betaFeatures.toggle({ key: 'internal-search', enabled: i % 2 === 0 }).then(() => {
          if (++toggled === 200) tenthToggled();
        }),
      ),
    );
    await underway;

    const queuedBefore = 2_000 - toggled;
    const killed = await h.editor.admin.flags.kill({ key: 'auto-tagging-v2', reason: 'error spike' });
    const overtaken = 2_000 - toggled;
    await burst;
    console.log(`kill sent with ${queuedBefore} toggles pending; committed with ${overtaken} still pending`);

    expect(killed.kill?.reason).toBe('error spike');
    // Otherwise the burst was over too soon to prove anything.
    expect(queuedBefore).toBeGreaterThan(500);
    // Queued behind them, it would have committed after (nearly) all of them.
    expect(overtaken).toBeGreaterThan(queuedBefore / 2);
  });
});
