import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { RouterOutputs } from '@stagegate/api';
import { FlagAnnotateInput, FlagCreateInput } from '@stagegate/api/contract';
import { STAGES, type Stage } from '@stagegate/flags-core';
import { Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import type { Session } from '../session.js';

type AdminFlag = RouterOutputs['admin']['flags']['get'];

const percent = (value: string) => {
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new UsageError(`PCT: "${value}" is not a percentage from 0 to 100`);
  return n;
};
const stageOf = (value: string): Stage => {
  if (!(STAGES as readonly string[]).includes(value)) throw new UsageError(`STAGE: "${value}" is not one of ${STAGES.join(', ')}`);
  return value as Stage;
};
const state = (flag: AdminFlag) => (flag.archived ? 'archived' : flag.kill ? 'KILLED' : flag.adminOverride ? `forced ${flag.adminOverride}` : flag.enabled ? 'on' : 'off');

function printFlag(session: Session, flag: AdminFlag) {
  const { colors } = session.out;
  session.out.record(
    [
      ['key', flag.key],
      ['name', flag.name],
      ['stage', flag.stage],
      ['state', flag.kill ? colors.red(`KILLED by ${flag.kill.by}: ${flag.kill.reason}`) : state(flag)],
      ['rollout', `${flag.rolloutPercentage} % by ${flag.bucketBy}`],
      ['owner', flag.owner],
      ['category', flag.category || '-'],
      ['ttl', `${flag.ttlDays} days from ${flag.ttlStart.slice(0, 10)} (${flag.daysRemaining} left)`],
      ['kb article', flag.kbArticle ?? '-'],
      ['description', flag.description || '-'],
      ['version', String(flag.version)],
    ],
    flag,
  );
}

/** Reads a JSON or YAML metadata file: `[{ key, stage?, ttlDays?, owner?, … }]` or `{ flags: [...] }`. */
async function readAnnotations(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`FILE: cannot read "${file}"`);
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(`FILE: "${file}" is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'} (${(error as Error).message.split('\n')[0]})`);
  }
  return Array.isArray(value) ? value : (value as { flags?: unknown } | null)?.flags;
}

export function flagCommands(program: Command, session: () => Session): Command {
  const flags = program.command('flags').description('flags: their stage, rollout, overrides and kill switch');

  flags
    .command('list')
    .description('every live flag (or archived ones)')
    .addOption(new Option('--stage <stage>', 'only this stage').choices([...STAGES]))
    .option('--archived', 'archived flags instead')
    .action(async (options: { stage?: Stage; archived?: boolean }) => {
      const s = session();
      const rows = await s.api().admin.flags.list.query({ ...(options.stage && { stage: options.stage }), ...(options.archived && { archived: 'only' }) });
      s.out.table(rows, [
        ['KEY', (f) => f.key],
        ['STAGE', (f) => f.stage],
        ['STATE', (f) => (f.kill ? s.out.colors.red(state(f)) : state(f))],
        ['ROLLOUT', (f) => `${f.rolloutPercentage} %`],
        ['OWNER', (f) => f.owner],
        ['DAYS LEFT', (f) => (f.daysRemaining < 0 ? s.out.colors.yellow(String(f.daysRemaining)) : String(f.daysRemaining))],
      ]);
    });

  flags
    .command('show <key>')
    .description('one flag in full')
    .action(async (key: string) => {
      const s = session();
      printFlag(s, await s.api().admin.flags.get.query({ key }));
    });

  flags
    .command('create <key>')
    .description('a new flag (off, 0 %)')
    .requiredOption('--name <name>', 'what people call it')
    .addOption(new Option('--stage <stage>', 'where it starts').choices([...STAGES]).default('lab'))
    .requiredOption('--ttl-days <days>', 'how long it may stay in its stage', (v) => Number(v))
    .option('--description <text>')
    .option('--category <category>')
    .option('--owner <email>', 'default: you')
    .option('--kb <url>', 'help article')
    .addOption(new Option('--bucket-by <by>').choices(['user', 'workspace']))
    .action(async (key: string, o: { name: string; stage: Stage; ttlDays: number; description?: string; category?: string; owner?: string; kb?: string; bucketBy?: 'user' | 'workspace' }) => {
      const s = session();
      const input = { key, name: o.name, stage: o.stage, ttlDays: o.ttlDays, description: o.description, category: o.category, owner: o.owner, kbArticle: o.kb, bucketBy: o.bucketBy };
      // The API's own schema, so a bad value is named before anything is sent.
      const checked = FlagCreateInput.safeParse(input);
      if (!checked.success) throw new UsageError(checked.error.issues.map((i) => `--${String(i.path[0] ?? 'input')}: ${i.message}`).join('; '));
      printFlag(s, await s.api().admin.flags.create.mutate(checked.data));
    });

  flags
    .command('stage <key> <stage>')
    .description('move a flag to another stage (restarts its TTL)')
    .option('--reason <text>')
    .action(async (key: string, stage: string, o: { reason?: string }) => {
      const s = session();
      printFlag(s, await s.api().admin.flags.setStage.mutate({ key, stage: stageOf(stage), reason: o.reason }));
    });

  flags
    .command('rollout <key> <pct>')
    .description('roll out to a percentage (the ADR plan: 0.1, 5, 25, 50, 100)')
    .addOption(new Option('--by <by>', 'bucket by user or by whole workspace').choices(['user', 'workspace']))
    .option('--reason <text>')
    .action(async (key: string, pct: string, o: { by?: 'user' | 'workspace'; reason?: string }) => {
      const s = session();
      const rolloutPercentage = percent(pct);
      const api = s.api();
      if (o.by) await api.admin.flags.update.mutate({ key, bucketBy: o.by, reason: o.reason });
      const flag = await api.admin.flags.setRollout.mutate({ key, rolloutPercentage, reason: o.reason });
      const reach = await api.admin.flags.reach.query({ key, rolloutPercentage });
      s.out.note(`${reach.inRollout} of ${reach.total} known ${reach.bucketBy === 'user' ? 'users' : 'workspaces'} are in at ${rolloutPercentage} %`);
      printFlag(s, flag);
    });

  flags
    .command('override <key> <state>')
    .description('force a flag on or off for everyone, or "none" to stop forcing it')
    .option('--reason <text>')
    .action(async (key: string, forced: string, o: { reason?: string }) => {
      const s = session();
      if (!['on', 'off', 'none'].includes(forced)) throw new UsageError(`STATE: "${forced}" is not on, off or none`);
      printFlag(s, await s.api().admin.flags.setAdminOverride.mutate({ key, adminOverride: forced === 'none' ? null : (forced as 'on' | 'off'), reason: o.reason }));
    });

  for (const action of ['kill', 'restore'] as const) {
    flags
      .command(`${action} <key>`)
      .description(action === 'kill' ? 'the kill switch: off for everyone, at once' : 'undo the kill switch')
      .requiredOption('--reason <text>', 'why (the incident review reads this first)')
      .option('--database-url <url>', 'break-glass: when the API is down, write through the same domain code straight to PostgreSQL')
      .option('--pglite-dir <dir>', 'break-glass against an embedded database folder')
      .action(async (key: string, o: { reason: string; databaseUrl?: string; pgliteDir?: string }) => {
        const s = session();
        if (o.databaseUrl || o.pgliteDir) {
          const { breakGlassChange } = await import('../breakGlass.js');
          s.out.note(`break-glass: writing to the database directly as break-glass:${userInfo().username}`);
          printFlag(s, await breakGlassChange({ url: o.databaseUrl, pgliteDir: o.pgliteDir }, { action, key, reason: o.reason }));
          return;
        }
        const api = s.api();
        printFlag(s, await (action === 'kill' ? api.admin.flags.kill.mutate({ key, reason: o.reason }) : api.admin.flags.restore.mutate({ key, reason: o.reason })));
      });
  }

  flags
    .command('why <key>')
    .description('why a flag is on or off for one user: every rule in order')
    .requiredOption('--user <email>', 'the user')
    .option('--workspace <workspace>', 'id or slug (default: their only workspace)')
    .action(async (key: string, o: { user: string; workspace?: string }) => {
      const s = session();
      const why = await s.api().admin.flags.explain.query({ key, email: o.user, workspace: o.workspace });
      const { colors } = s.out;
      if (s.out.json) return s.out.line('', why);
      s.out.line(`${key} for ${why.user.email} in ${why.workspace.name}: ${why.resolution.enabled ? colors.green('ON') : colors.red('OFF')} (${why.resolution.reason})`, why);
      s.out.table(why.steps, [
        ['', (step) => (step.decides ? colors.bold('→') : ' ')],
        ['RULE', (step) => step.rule],
        ['APPLIES', (step) => (step.applies ? 'yes' : 'no')],
        ['DETAIL', (step) => step.detail],
      ]);
    });

  flags
    .command('annotate <file>')
    .description('apply stage / TTL / owner / category / KB metadata from a JSON or YAML file to many flags')
    .option('--dry-run', 'print what would change, change nothing')
    .option('--reason <text>')
    .action(async (file: string, o: { dryRun?: boolean; reason?: string }) => {
      const s = session();
      const checked = FlagAnnotateInput.safeParse({ flags: await readAnnotations(file), dryRun: o.dryRun ?? false, reason: o.reason });
      if (!checked.success) throw new UsageError(`FILE: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const result = await s.api().admin.flags.annotate.mutate(checked.data);
      if (s.out.json) s.out.line('', result);
      else {
        for (const flag of result.flags) {
          s.out.line(flag.changes.length === 0 ? `${flag.key}: unchanged` : `${flag.key}:`, result);
          for (const change of flag.changes) s.out.line(`  ${change.field}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`, result);
        }
      }
      s.out.note(result.dryRun ? 'dry run: nothing was changed' : `${result.flags.filter((f) => f.changes.length > 0).length} flags changed`);
    });
  return flags;
}
