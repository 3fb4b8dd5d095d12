// A guarded rollout, end to end, in one process: the Stagegate server on embedded PGlite (with its
// scheduler), a "service" that routes between a new and a legacy pipeline with the real FlagClient
// over HTTP (telemetry every second), and an operator who attaches a release plan with short steps.
// FAIL_RATE (default 0.10) is the share of the new pipeline's calls that fail: 0.10 rolls back,
// 0.01 reaches 100 %. Run: pnpm example:guarded-rollout   (or FAIL_RATE=0.01 pnpm example:guarded-rollout)
import type { AddressInfo } from 'node:net';
import { authenticate, createCaller, createContextInner, createLogger, createScheduler, createServices } from '@stagegate/api';
import { migrate, openDatabase } from '@stagegate/db';
import { DEMO_TOKENS, seedDemo } from '@stagegate/db/demo';
import { createFlagClient } from '@stagegate/flags-core';
import { createHttpSource } from '@stagegate/flags-core/http';
import { createApp } from '@stagegate/server';

const KEY = 'phoenix-pipeline-enabled';
const failRate = Number(process.env.FAIL_RATE ?? '0.10');
if (!(failRate >= 0 && failRate < 1)) throw new Error(`FAIL_RATE must be a share from 0 to 1, not "${process.env.FAIL_RATE}"`);
const deadlineMs = Number(process.env.EXAMPLE_DEADLINE_MS ?? 60_000);
const started = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - started) / 1_000).toFixed(1).padStart(5)} s] ${line}`);

// --- The server: what apps/server/src/main.ts builds, on a throwaway embedded database. ---
const db = await openDatabase({ url: undefined, dataDir: 'memory://' });
await migrate(db);
await seedDemo(db);
const services = createServices({ db, logger: createLogger({ level: 'silent' }) });
const server = createApp(services).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const scheduler = createScheduler(services, { intervalMs: 250 });
scheduler.start();

// --- The service: a new pipeline behind route(), the legacy one as its fallback. ---
const sdk = createFlagClient({ source: createHttpSource({ baseUrl, token: DEMO_TOKENS.service }), telemetry: { intervalMs: 1_000 } });
let newCalls = 0;
const pipelines = {
  // Fails every (1 / FAIL_RATE)-th call: the rate, exactly, so a run says the same thing every time.
  enabled: () => {
    if (failRate > 0 && ++newCalls % Math.round(1 / failRate) === 0) throw new Error('phoenix: generation failed');
    return 'phoenix';
  },
  disabled: () => 'legacy',
};
const workspaceId = 'example-workspace';
let serving = true;
const traffic = (async () => {
  for (let request = 0; serving; request++) {
    await sdk.route(KEY, { userId: `user-${request % 100}`, workspaceId }, pipelines);
    // About 1,000 requests a second, yielding to the server in the same process.
    if (request % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
})();

// --- The operator: a plan of short steps on the flag (ADR-074's would take days). ---
const { auth } = await authenticate(services, { authorization: `Bearer ${DEMO_TOKENS.editor}` });
const editor = createCaller(createContextInner({ services, auth }));
await editor.admin.flags.setRollout({ key: KEY, rolloutPercentage: 0, reason: 'example: start from nobody' });
const plan = await editor.admin.plans.attach({ key: KEY, steps: [10, 50, 100], minStepSeconds: 3, minCalls: 100, maxErrorRate: 0.05, errorMargin: 0.02, onTrip: 'kill' });
say(`the new pipeline fails ${(failRate * 100).toFixed(0)} % of its calls; plan attached to ${KEY}: ${plan.steps.join(' → ')} %, ≥ ${plan.minStepSeconds} s and ≥ ${plan.minCalls} calls a step, guard ≤ ${plan.maxErrorRate * 100} % errors (≤ legacy + ${plan.errorMargin * 100} %), on trip: ${plan.onTrip}`);

// The deadline counts from here: starting the embedded database takes what the machine gives it.
const attachedAt = Date.now();
let last = '';
let outcome: 'completed' | 'rolled_back' | 'timeout' = 'timeout';
while (Date.now() - attachedAt < deadlineMs) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const now = await editor.admin.plans.get({ key: KEY });
  const check = now.lastCheck;
  const line = `step ${now.currentStep + 1} of ${now.steps.length} (${now.currentPercentage} %) ${check?.state ?? ''}: ${check?.message ?? ''}`;
  if (check && `${now.currentStep}/${check.state}` !== last) {
    last = `${now.currentStep}/${check.state}`;
    say(line);
  }
  if (now.status === 'completed' || now.status === 'rolled_back') {
    outcome = now.status;
    break;
  }
}

const routes = sdk.stats().routes[KEY];
if (outcome === 'rolled_back') {
  const flag = await editor.admin.flags.get({ key: KEY });
  say(`ROLLED BACK: the guard killed ${KEY} (${flag.kill?.by}); every call takes the legacy pipeline now`);
} else if (outcome === 'completed') {
  say(`COMPLETED: ${KEY} is at 100 % — the new pipeline serves everyone`);
} else {
  say(`TIMEOUT: the plan neither finished nor rolled back in ${deadlineMs / 1_000} s`);
}
if (routes) say(`the service saw: new ${routes.enabled.calls} calls (${routes.enabled.errors} failed, ${routes.fallbacks} answered by legacy), legacy ${routes.disabled.calls} calls`);

serving = false;
await traffic;
await sdk.close();
await scheduler.close();
server.closeAllConnections();
await new Promise<void>((resolve) => server.close(() => resolve()));
await services.close();
await db.close();
process.exit(outcome === 'timeout' ? 1 : 0);
