import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Session } from '../session.js';

/** The audit trail, the lifecycle status, and API tokens. */
export function operationCommands(program: Command, session: () => Session) {
  program
    .command('audit [key]')
    .description('who changed what, newest first')
    .option('--actor <email>')
    .option('--action <action>', 'e.g. flag.kill')
    .option('--limit <n>', 'entries (1–100)', (v) => Number(v), 50)
    .action(async (key: string | undefined, o: { actor?: string; action?: string; limit: number }) => {
      const s = session();
      if (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > 100) throw new UsageError('--limit: a whole number from 1 to 100');
      const { items } = await s.api().admin.audit.list.query({ limit: o.limit, ...(key && { flagKey: key }), ...(o.actor && { actor: o.actor }), ...(o.action && { action: o.action }) });
      s.out.table(items, [
        ['AT', (e) => e.at.slice(0, 19).replace('T', ' ')],
        ['ACTOR', (e) => e.actor],
        ['ACTION', (e) => e.action],
        ['FLAG', (e) => e.flagKey ?? '-'],
        ['REASON', (e) => e.reason ?? ''],
      ]);
    });

  program
    .command('status')
    .description('flags by stage, and TTL warnings')
    .action(async () => {
      const s = session();
      const status = await s.api().admin.status.query();
      if (s.out.json) return s.out.line('', status);
      for (const warning of status.ttlWarnings) s.out.note(s.out.colors.yellow(`TTL: ${warning.key} (${warning.stage}, ${warning.owner}) has ${warning.daysRemaining} days left`));
      const rows = Object.values(status.stages).flat();
      s.out.table(rows, [
        ['STAGE', (f) => f.stage],
        ['KEY', (f) => f.key],
        ['OWNER', (f) => f.owner],
        ['ROLLOUT', (f) => `${f.rolloutPercentage} %`],
        ['DAYS LEFT', (f) => String(f.daysRemaining)],
        ['KILLED', (f) => (f.killed ? s.out.colors.red('yes') : '')],
      ]);
    });

  const tokens = program.command('tokens').description('API tokens (owners)');
  tokens
    .command('list')
    .action(async () => {
      const s = session();
      s.out.table(await s.api().admin.tokens.list.query(), [
        ['ID', (t) => t.id],
        ['NAME', (t) => t.name],
        ['KIND', (t) => t.kind],
        ['USER', (t) => t.userEmail ?? '-'],
        ['LAST USED', (t) => t.lastUsedAt ?? 'never'],
        ['REVOKED', (t) => t.revokedAt ?? ''],
      ]);
    });
  tokens
    .command('create <name>')
    .description('a new token, printed once')
    .option('--kind <kind>', 'service (reads flags for SDKs) or user', 'service')
    .option('--email <email>', 'for a user token: whose (default: you)')
    .action(async (name: string, o: { kind: string; email?: string }) => {
      const s = session();
      if (o.kind !== 'service' && o.kind !== 'user') throw new UsageError(`--kind: "${o.kind}" is not service or user`);
      const created = await s.api().admin.tokens.create.mutate({ name, kind: o.kind, ...(o.email && { email: o.email }) });
      s.out.note('the token is shown this once; only its hash is kept');
      s.out.line(created.token, created);
    });
  tokens
    .command('revoke <id>')
    .action(async (id: string) => {
      const s = session();
      const revoked = await s.api().admin.tokens.revoke.mutate({ id });
      s.out.line(`${revoked.name}: revoked`, revoked);
    });
}
