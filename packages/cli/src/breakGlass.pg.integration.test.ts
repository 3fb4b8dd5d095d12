// Break-glass on a real PostgreSQL with no API running: a running SDK hears the kill through its notifications.
import { createDatabaseSource } from '@stagegate/db';
import { seedDemo } from '@stagegate/db/demo';
import { openTestDatabase, waitFor } from '@stagegate/db/testing';
import { createFlagClient } from '@stagegate/flags-core';
import { describe, expect, it } from 'vitest';
import { runStagegate } from './testing.js';

describe('break-glass on PostgreSQL', () => {
  it('kills through the domain code, and an SDK listening on the database hears it', async () => {
    const db = await openTestDatabase();
    const source = createDatabaseSource(db);
    const sdk = createFlagClient({ source, flagsTtlMs: 600_000 });
    try {
      const seed = await seedDemo(db, { env: {} });
      const ctx = { userId: seed.memberId, workspaceId: seed.workspaceId };
      await source.listening();
      await sdk.refresh();
      expect((await sdk.evaluate('smart-summaries', ctx)).reason).toBe('GLOBAL');
      const run = await runStagegate(['flags', 'kill', 'smart-summaries', '--reason', 'API down', '--database-url', db.url!]);
      expect(run).toMatchObject({ code: 0 });
      expect(JSON.parse(run.stdout)).toMatchObject({ kill: { by: expect.stringMatching(/^break-glass:/) } });
      await waitFor(async () => (await sdk.evaluate('smart-summaries', ctx)).reason === 'KILLED', 5_000, 'the SDK hearing the kill');
    } finally {
      await sdk.close();
      await source.close();
      await db.close();
    }
  });
});
