/**
 * Stagegate quickstart: evaluate flags in-process and route traffic between a new and a legacy path.
 * Run it with `pnpm --filter @stagegate/flags-core demo`.
 *
 * In a real service the source is the database or the HTTP API; here a memory source stands in for it.
 */
import { pathToFileURL } from 'node:url';
import { createFlagClient, createMemorySource, newFlag, type FlagClientStats, type FlagDefinition } from '@stagegate/flags-core';

/** A flag with the metadata this example does not care about filled in. */
const defineFlag = (flag: Pick<FlagDefinition, 'key' | 'name' | 'stage'> & Partial<FlagDefinition>): FlagDefinition =>
  newFlag({ ttlStart: new Date('2026-01-01T00:00:00Z'), ttlDays: 180, category: 'platform', owner: 'platform-team@example.com', ...flag });

const flags = [
  defineFlag({ key: 'phoenix-pipeline-enabled', name: 'Phoenix ingestion pipeline', stage: 'ga', rolloutPercentage: 5 }),
  defineFlag({ key: 'auto-tagging-v2', name: 'Auto-tagging v2', stage: 'beta' }),
  defineFlag({
    key: 'bulk-export-v2',
    name: 'Bulk export v2',
    stage: 'beta',
    enabled: true,
    kill: { reason: 'exports timing out (INC-1234)', at: new Date('2026-06-01T09:30:00Z'), by: 'oncall@example.com' },
  }),
];

/** Something that fails like a new code path sometimes does. */
class PipelineError extends Error {}

export async function main(log: (line: string) => void = console.log): Promise<FlagClientStats> {
  const source = createMemorySource(flags, {
    // alice opted in to the auto-tagging beta from the Settings app.
    alice: { acme: { optIns: { 'auto-tagging-v2': true }, overrides: {} } },
  });
  const client = createFlagClient({
    source,
    onError: (error) => log(`  (told onError: ${error instanceof Error ? error.message : String(error)})`),
  });

  try {
    log('Evaluations, with the reason for each answer:');
    for (const userId of ['alice', 'bob']) {
      for (const { key } of flags) {
        const { enabled, reason } = await client.evaluate(key, { userId, workspaceId: 'acme' });
        log(`  ${userId.padEnd(5)} ${key.padEnd(26)} ${enabled ? 'on ' : 'off'}  ${reason}`);
      }
    }

    let inRollout = 0;
    let firstRolloutUser: string | undefined;
    for (let i = 0; i < 2_000; i++) {
      const userId = `user-${i}`;
      if (await client.isEnabled('phoenix-pipeline-enabled', { userId, workspaceId: 'acme' })) {
        inRollout++;
        firstRolloutUser ??= userId;
      }
    }
    log(`\nphoenix-pipeline-enabled at 5 %: on for ${inRollout} of 2000 users (${((inRollout / 2_000) * 100).toFixed(1)} %)`);

    log('\nroute(): Phoenix when the flag is on, the legacy pipeline otherwise or if Phoenix throws:');
    const ingest = (userId: string, phoenixFails: boolean) =>
      client.route('phoenix-pipeline-enabled', { userId, workspaceId: 'acme' }, {
        enabled: async () => {
          if (phoenixFails) throw new PipelineError('phoenix: schema registry unreachable');
          return 'ingested by phoenix';
        },
        disabled: async () => 'ingested by legacy',
      });
    const show = async (label: string, result: Promise<string>) => log(`  ${label.padEnd(40)} ${await result}`);
    if (firstRolloutUser !== undefined) {
      await show(`${firstRolloutUser} (in the rollout)`, ingest(firstRolloutUser, false));
      await show(`${firstRolloutUser} (in the rollout, Phoenix down)`, ingest(firstRolloutUser, true));
    }
    await show('bob (not in the rollout)', ingest('bob', false));

    const stats = client.stats();
    const routes = stats.routes['phoenix-pipeline-enabled'];
    log('\nstats():');
    log(`  evaluations ${stats.evaluations}, cache hit rate ${(stats.hitRate * 100).toFixed(1)} %, source errors ${stats.sourceErrors}`);
    log('  (2000 users seen once each are mostly misses; a service sees the same users again and again)');
    log(`  cached users ${stats.cachedUsers}, last refresh ${stats.lastRefreshAt?.toISOString() ?? 'never'}`);
    if (routes) {
      log(`  phoenix path: ${routes.enabled.calls} calls, ${routes.enabled.errors} errors, ${routes.fallbacks} fallbacks to legacy`);
      log(`  legacy path:  ${routes.disabled.calls} calls, ${routes.disabled.errors} errors`);
    }
    return stats;
  } finally {
    // Stops the background refresh; a long-running service does this on shutdown.
    await client.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
