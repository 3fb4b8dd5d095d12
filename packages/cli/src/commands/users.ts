import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Session } from '../session.js';

export function userCommands(program: Command, session: () => Session) {
  const users = program.command('users').description("one user's overrides (support cases, early access)");

  users
    .command('override <email> <key> <state>')
    .description('force a flag on or off for one user ("remove" to lift it)')
    .option('--reason <text>', 'why (required to set one)')
    .option('--expires <when>', 'an ISO date or time, e.g. 2026-12-31')
    .action(async (email: string, key: string, state: string, o: { reason?: string; expires?: string }) => {
      const s = session();
      if (state === 'remove') {
        const removed = await s.api().admin.userOverrides.remove.mutate({ email, flagKey: key, reason: o.reason });
        return s.out.line(`${email}: override of ${key} removed`, removed);
      }
      if (state !== 'on' && state !== 'off') throw new UsageError(`STATE: "${state}" is not on, off or remove`);
      if (!o.reason) throw new UsageError('--reason is required to set an override');
      const expiresAt = o.expires === undefined ? null : new Date(o.expires);
      if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new UsageError(`--expires: "${o.expires}" is not a date`);
      const view = await s.api().admin.userOverrides.set.mutate({ email, flagKey: key, enabled: state === 'on', reason: o.reason, expiresAt: expiresAt?.toISOString() ?? null });
      s.out.line(`${view.email}: ${view.flagKey} forced ${view.enabled ? 'on' : 'off'}${view.expiresAt ? ` until ${view.expiresAt}` : ''} (${view.reason})`, view);
    });

  users
    .command('overrides')
    .description('overrides in force (and expired ones, marked)')
    .option('--flag <key>')
    .option('--user <email>')
    .action(async (o: { flag?: string; user?: string }) => {
      const s = session();
      const rows = await s.api().admin.userOverrides.list.query({ ...(o.flag && { flagKey: o.flag }), ...(o.user && { email: o.user }) });
      s.out.table(rows, [
        ['USER', (r) => r.email],
        ['FLAG', (r) => r.flagKey],
        ['FORCED', (r) => (r.enabled ? 'on' : 'off')],
        ['EXPIRES', (r) => (r.expired ? s.out.colors.dim(`expired ${r.expiresAt}`) : (r.expiresAt ?? 'never'))],
        ['REASON', (r) => r.reason],
        ['BY', (r) => r.createdBy],
      ]);
    });
}
