import type { RouterOutputs } from '@stagegate/api';
import { DEFAULT_PLAN_STEPS, PLAN_ACTIONS, PlanAttachInput, ScheduleCreateInput } from '@stagegate/api/contract';
import { STAGES, type Stage } from '@stagegate/flags-core';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Session } from '../session.js';

type Health = RouterOutputs['admin']['flags']['health'];
type PathHealth = Health['totals']['enabled'];
type Plan = RouterOutputs['admin']['plans']['get'];
type ScheduledChange = RouterOutputs['admin']['schedule']['list'][number];

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** 90s, 30m, 1h, 1.5h, 2d → seconds. */
export function durationSeconds(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (!match) throw new UsageError(`${option}: "${text}" is not a duration like 90s, 30m, 1h or 2d`);
  return Math.round(Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS]);
}

/** 5% or 5 → 0.05 (always a percentage, so 0.5 means half a percent). */
export function rateOf(text: string, option: string): number {
  const n = Number(text.trim().replace(/\s*%$/, ''));
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new UsageError(`${option}: "${text}" is not a percentage from 0 to 100 (5% or 5)`);
  return n / 100;
}

/** An instant with its zone (ISO 8601), or +30m / +2h / +1d from now. */
export function instantOf(text: string, now: Date): string {
  const relative = /^\+(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (relative) return new Date(now.getTime() + durationSeconds(`${relative[1]}${relative[2]}`, '--at') * 1000).toISOString();
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--at: "${text}" is neither an ISO time (2026-12-24T09:00:00Z) nor +30m / +2h / +1d`);
  // Without a zone the same words mean a different instant on each machine.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) throw new UsageError(`--at: "${text}" has no time zone; add Z or an offset such as +01:00`);
  return date.toISOString();
}

const rate = (value: number | null) => (value === null ? '-' : `${Number((value * 100).toFixed(2))} %`);
const ms = (value: number | null) => (value === null ? '-' : `${Number(value.toFixed(1))} ms`);
const pct = (value: number) => `${Number(value.toFixed(2))} %`;
/** 600 → 10m, 5400 → 1.5h: as --min-step takes it. */
const duration = (seconds: number) => (seconds % 86_400 === 0 ? `${seconds / 86_400}d` : seconds >= 3600 && seconds % 360 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ') + 'Z';

/** The API's field names as the command line spells them, so a refusal names what to fix. */
const ATTACH_OPTIONS: Record<string, string> = { steps: '--steps', minStepSeconds: '--min-step', minCalls: '--min-calls', maxErrorRate: '--max-error-rate', errorMargin: '--margin', onTrip: '--on-trip', reason: '--reason' };
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> } };
}
/** The API's own schema, so a bad value is named (by its option) before anything is sent. */
function checked<T>(schema: Schema<T>, input: unknown, names: Record<string, string> = {}): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new UsageError(result.error.issues.map((i) => `${names[String(i.path[0])] ?? `--${String(i.path[0] ?? 'input')}`}: ${i.message}`).join('; '));
}

function printHealth(s: Session, health: Health) {
  const active = health.series.filter((point) => point.enabled.calls + point.disabled.calls + point.fallbacks > 0);
  if (active.length === 0) s.out.note(`no route() calls reported for ${health.key} in this range: services report through createFlagClient's telemetry (POST /api/flags/metrics)`);
  if (s.out.json) return s.out.line('', health);
  const { colors } = s.out;
  const { totals } = health;
  s.out.line(`${health.key}: route() from ${when(health.since)} to ${when(health.until)}, per ${health.bucket}`, health);
  const paths: Array<[string, PathHealth, string]> = [
    ['enabled (new)', totals.enabled, String(totals.fallbacks)],
    ['disabled (legacy)', totals.disabled, '-'],
  ];
  s.out.table(paths, [
    ['PATH', ([name]) => name],
    ['SHARE', ([, p]) => rate(p.share)],
    ['CALLS', ([, p]) => String(p.calls)],
    ['ERRORS', ([, p]) => String(p.errors)],
    ['ERROR RATE', ([, p]) => (p.errorRate !== null && p.errorRate > 0.05 ? colors.red(rate(p.errorRate)) : rate(p.errorRate))],
    ['FALLBACKS', ([, , fallbacks]) => fallbacks],
    ['P50', ([, p]) => ms(p.p50Ms)],
    ['P95', ([, p]) => ms(p.p95Ms)],
  ]);
  if (active.length === 0) return;
  s.out.line('', health);
  s.out.table(active, [
    [health.bucket === 'minute' ? 'MINUTE' : 'HOUR', (p) => when(p.at)],
    ['NEW CALLS', (p) => String(p.enabled.calls)],
    ['NEW ERR', (p) => rate(p.enabled.errorRate)],
    ['LEGACY CALLS', (p) => String(p.disabled.calls)],
    ['LEGACY ERR', (p) => rate(p.disabled.errorRate)],
    ['FALLBACKS', (p) => String(p.fallbacks)],
  ]);
}

function printPlan(s: Session, plan: Omit<Plan, 'history'> & { history?: Plan['history'] }) {
  const { colors } = s.out;
  const steps = plan.steps.map((step, i) => (i === plan.currentStep ? colors.bold(`[${step}]`) : i < plan.currentStep ? colors.dim(String(step)) : String(step))).join(' → ');
  const status = plan.status === 'rolled_back' ? colors.red('ROLLED BACK') : plan.status === 'paused' ? colors.yellow('paused') : plan.status;
  const check = plan.lastCheck;
  s.out.record(
    [
      ['flag', plan.flagKey],
      ['status', status],
      ['step', `${plan.currentStep + 1} of ${plan.steps.length} (${pct(plan.currentPercentage)}) since ${when(plan.stepStartedAt)}`],
      ['steps', `${steps} %`],
      ['guard', `new path ≤ ${rate(plan.maxErrorRate)} and ≤ legacy + ${rate(plan.errorMargin)}; each step ≥ ${duration(plan.minStepSeconds)} and ≥ ${plan.minCalls} calls; on trip ${plan.onTrip === 'kill' ? 'kill' : 'previous step'}`],
      ['where', check ? `${check.state.replaceAll('_', ' ')} (${when(check.at)})` : 'not checked yet'],
      ['why', check?.message ?? '-'],
      ['attached', `by ${plan.createdBy} at ${when(plan.createdAt)}`],
    ],
    plan,
  );
}

const describeChange = (c: ScheduledChange) => (c.action === 'set_stage' ? `stage → ${c.stage}` : c.action === 'set_rollout' ? `rollout → ${c.rolloutPercentage} %` : c.action);

/** `flags health`, `flags plan …` and `flags schedule …`: the rollout on rails and what it measures. */
export function pipelineCommands(flags: Command, session: () => Session) {
  flags
    .command('health <key>')
    .description("route() per path: calls, errors, error rate, fallbacks and latency (from the services' telemetry)")
    .option('--hours <n>', 'how far back (1–2160; per minute up to 6, per hour beyond)', (v) => Number(v), 24)
    .action(async (key: string, o: { hours: number }) => {
      const s = session();
      if (!Number.isInteger(o.hours) || o.hours < 1 || o.hours > 2160) throw new UsageError('--hours: a whole number from 1 to 2160');
      printHealth(s, await s.api().admin.flags.health.query({ key, hours: o.hours }));
    });

  const plan = flags.command('plan').description("a flag's release plan: steps that advance while the new path is healthy, and roll back when it is not");
  plan
    .command('show <key>')
    .description('where the plan stands and why')
    .action(async (key: string) => {
      const s = session();
      printPlan(s, await s.api().admin.plans.get.query({ key }));
    });
  plan
    .command('attach <key>')
    .description("put the flag's rollout on rails (it starts at the first step at or above its rollout now)")
    .option('--steps <list>', 'percentages, each above the last, ending at 100', DEFAULT_PLAN_STEPS.join(','))
    .option('--min-step <duration>', 'least time per step: 90s, 30m, 1h, 2d', '1h')
    .option('--min-calls <n>', 'least new-path route() calls per step', '100')
    .option('--max-error-rate <pct>', "the new path's error rate may not pass this", '5%')
    .option('--margin <pct>', 'nor the legacy path’s by more than this', '1%')
    .addOption(new Option('--on-trip <action>', 'what the guard does when it trips').choices(['kill', 'previous-step']).default('kill'))
    .option('--reason <text>')
    .action(async (key: string, o: { steps: string; minStep: string; minCalls: string; maxErrorRate: string; margin: string; onTrip: 'kill' | 'previous-step'; reason?: string }) => {
      const s = session();
      const input = checked(
        PlanAttachInput,
        {
          key,
          steps: o.steps.split(',').map((step) => Number(step.trim().replace(/%$/, ''))),
          minStepSeconds: durationSeconds(o.minStep, '--min-step'),
          minCalls: Number(o.minCalls),
          maxErrorRate: rateOf(o.maxErrorRate, '--max-error-rate'),
          errorMargin: rateOf(o.margin, '--margin'),
          onTrip: o.onTrip === 'kill' ? 'kill' : 'previous_step',
          reason: o.reason,
        },
        ATTACH_OPTIONS,
      );
      printPlan(s, await s.api().admin.plans.attach.mutate(input));
    });
  for (const action of PLAN_ACTIONS) {
    const what = { pause: 'stop the guard (the rollout stays as it is)', resume: 'go on from the current step (its window restarts)', skip: 'move on to the next step now', abort: 'end the plan (the rollout stays; kill the flag if it must go off)' }[action];
    plan
      .command(`${action} <key>`)
      .description(what)
      .requiredOption('--reason <text>', 'why (goes in the audit log)')
      .action(async (key: string, o: { reason: string }) => {
        const s = session();
        printPlan(s, await s.api().admin.plans.control.mutate({ key, action, reason: o.reason }));
      });
  }

  const schedule = flags.command('schedule').description('a stage, rollout, kill or restore at a set time (runs once)');
  schedule
    .command('create <key>', { isDefault: true })
    .description('schedule a change: flags schedule KEY --at +2h --rollout 25 --reason …')
    .requiredOption('--at <when>', 'ISO time with a zone (2026-12-24T09:00:00Z) or +30m / +2h / +1d')
    .addOption(new Option('--stage <stage>', 'move to this stage').choices([...STAGES]))
    .option('--rollout <pct>', 'set the rollout percentage')
    .option('--kill', 'kill the flag')
    .option('--restore', 'restore a killed flag')
    .requiredOption('--reason <text>', 'why (goes in the audit log)')
    .action(async (key: string, o: { at: string; stage?: Stage; rollout?: string; kill?: boolean; restore?: boolean; reason: string }) => {
      const s = session();
      const chosen = [o.stage !== undefined, o.rollout !== undefined, o.kill === true, o.restore === true].filter(Boolean).length;
      if (chosen !== 1) throw new UsageError('exactly one of --stage, --rollout, --kill or --restore');
      const base = { key, runAt: instantOf(o.at, new Date()), reason: o.reason };
      const input = checked(
        ScheduleCreateInput,
        o.stage
          ? { ...base, action: 'set_stage', stage: o.stage }
          : o.rollout !== undefined
            ? { ...base, action: 'set_rollout', rolloutPercentage: Number(o.rollout.replace(/%$/, '')) }
            : { ...base, action: o.kill ? 'kill' : 'restore' },
        { rolloutPercentage: '--rollout', runAt: '--at' },
      );
      const created = await s.api().admin.schedule.create.mutate(input);
      s.out.line(`#${created.id}: ${describeChange(created)} for ${created.flagKey} at ${created.runAt}`, created);
    });
  schedule
    .command('list [key]')
    .description('scheduled changes, soonest first')
    .addOption(new Option('--status <status>').choices(['pending', 'done', 'failed', 'cancelled']))
    .action(async (key: string | undefined, o: { status?: ScheduledChange['status'] }) => {
      const s = session();
      const rows = await s.api().admin.schedule.list.query({ ...(key && { key }), ...(o.status && { status: o.status }) });
      s.out.table(rows, [
        ['ID', (c) => String(c.id)],
        ['FLAG', (c) => c.flagKey],
        ['CHANGE', describeChange],
        ['AT', (c) => when(c.runAt)],
        ['STATUS', (c) => (c.status === 'failed' ? s.out.colors.red(c.status) : c.status)],
        ['BY', (c) => c.createdBy],
        ['REASON / ERROR', (c) => c.error ?? c.reason],
      ]);
    });
  schedule
    .command('cancel <id>')
    .description('cancel a pending change')
    .option('--reason <text>')
    .action(async (id: string, o: { reason?: string }) => {
      const s = session();
      if (!/^\d+$/.test(id)) throw new UsageError(`ID: "${id}" is not a scheduled change's number`);
      const cancelled = await s.api().admin.schedule.cancel.mutate({ id: Number(id), ...(o.reason && { reason: o.reason }) });
      s.out.line(`#${cancelled.id}: cancelled (${describeChange(cancelled)} for ${cancelled.flagKey})`, cancelled);
    });
}
