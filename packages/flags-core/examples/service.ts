/**
 * A backend service that evaluates Stagegate flags locally, in its own process, from the API over HTTP.
 *
 *   1. Start the API with its demo data:            pnpm start            (http://localhost:3000)
 *   2. In another shell, run this service:          pnpm --filter @stagegate/flags-core example:service
 *   3. Change a flag (e.g. the kill switch) and watch this service pick it up within a moment:
 *        curl -X POST http://localhost:3000/trpc/admin.flags.kill -H 'Authorization: Bearer dev-admin-token' \
 *             -H 'Content-Type: application/json' -d '{"key":"phoenix-pipeline-enabled","reason":"bad deploy"}'
 *
 * Environment: STAGEGATE_URL (default http://localhost:3000), STAGEGATE_TOKEN (a service token; default
 * the demo one), USER_ID and WORKSPACE_ID (whom to evaluate for; any ids work, unknown users simply
 * have no opt-ins or overrides).
 */
import { createFlagClient, type FlagResolution } from '@stagegate/flags-core';
import { createHttpSource } from '@stagegate/flags-core/http';

const baseUrl = process.env.STAGEGATE_URL ?? 'http://localhost:3000';
const token = process.env.STAGEGATE_TOKEN ?? 'dev-service-token';
const ctx = { userId: process.env.USER_ID ?? 'user-42', workspaceId: process.env.WORKSPACE_ID ?? 'workspace-1' };

const client = createFlagClient({
  source: createHttpSource({ baseUrl, token, onError: (error) => console.warn(`change stream: ${String(error)} (reconnecting)`) }),
  onError: (error) => console.warn(`flag source: ${String(error)} (serving the last known flags)`),
});

const describe = (r: FlagResolution) => `${r.key.padEnd(28)} ${(r.enabled ? 'on' : 'off').padEnd(4)} ${r.reason.padEnd(15)} ${r.stage ?? '-'}`;

// Every evaluation after the first load is in memory: no request to the API per check.
let last = new Map<string, string>();
async function report() {
  const resolutions = await client.evaluateAll(ctx);
  const now = new Map(resolutions.map((r) => [r.key, describe(r)]));
  const changed = [...now].filter(([key, line]) => last.get(key) !== line);
  if (changed.length > 0) {
    console.log(`\n${new Date().toISOString()} flags for ${ctx.userId} in ${ctx.workspaceId}${last.size ? ' (changed)' : ''}:`);
    for (const [, line] of last.size ? changed : [...now]) console.log(`  ${line}`);
  }
  last = now;
}

// A code path behind a flag, with the old path as the fallback when the new one throws.
const pipeline = await client.route('phoenix-pipeline-enabled', ctx, {
  enabled: () => 'phoenix pipeline',
  disabled: () => 'legacy pipeline',
});
console.log(`Stagegate at ${baseUrl}: this request runs the ${pipeline}`);

await report();
const timer = setInterval(() => void report(), 500);
console.log('\nWatching for changes (Ctrl-C to stop)…');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    clearInterval(timer);
    void client.close().then(() => process.exit(0));
  });
}
