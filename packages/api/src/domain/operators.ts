import type { z } from 'zod';
import type { OperatorRole } from '../contract/access.js';
import type { OperatorSetRoleInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { OperatorGrant } from '../policy.js';
import type { Services } from '../services.js';
import { recordAudit } from './audit.js';
import { inTransaction } from './transaction.js';

export interface OperatorView {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
}

export async function listOperators(services: Services): Promise<OperatorView[]> {
  const rows = await services.db.prisma.user.findMany({
    where: { operatorRole: { not: null } },
    select: { id: true, email: true, name: true, operatorRole: true },
    orderBy: { email: 'asc' },
  });
  return rows.map((row) => ({ id: row.id, email: row.email, name: row.name, role: row.operatorRole! }));
}

/** Grants, changes or (role null) takes away a user's operator role. Owners cannot demote the last owner. */
export async function setOperatorRole(services: Services, owner: OperatorGrant, input: z.infer<typeof OperatorSetRoleInput>): Promise<OperatorView[]> {
  await inTransaction(services, async (tx) => {
    // Owners are few: locking them all makes "is this the last owner?" safe against a concurrent demotion.
    await tx.$queryRaw`SELECT id FROM users WHERE operator_role = 'owner' FOR UPDATE`;
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, operatorRole: true } });
    if (!user) fail('USER_NOT_FOUND', `No user ${input.email}`);
    if (user.operatorRole === input.role) return;
    if (user.operatorRole === 'owner' && (await tx.user.count({ where: { operatorRole: 'owner' } })) === 1) {
      fail('CONFLICT', 'This is the last owner: make someone else an owner first');
    }
    await tx.user.update({ where: { id: user.id }, data: { operatorRole: input.role } });
    await recordAudit(tx, {
      at: services.now(),
      actor: owner.user.email,
      action: 'operator.set_role',
      flagKey: null,
      before: { email: input.email, role: user.operatorRole },
      after: { email: input.email, role: input.role },
    });
  });
  return listOperators(services);
}
