import type { z } from 'zod';
import { generateToken, hashToken } from '@stagegate/db';
import { tokenResolver } from '../auth.js';
import type { TokenCreateInput, TokenRevokeInput } from '../contract/inputs.js';
import { fail } from '../errors.js';
import type { OperatorGrant } from '../policy.js';
import type { Services } from '../services.js';
import { recordAudit } from './audit.js';
import { inTransaction } from './transaction.js';

export interface ApiTokenView {
  id: string;
  name: string;
  kind: 'user' | 'service';
  /** The user a user token acts as; null for service tokens. */
  userEmail: string | null;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const tokenSelect = {
  id: true,
  name: true,
  kind: true,
  createdBy: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  user: { select: { email: true } },
} as const;

type TokenRow = { id: string; name: string; kind: 'user' | 'service' | 'session'; createdBy: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; user: { email: string } | null };

const toView = (row: TokenRow): ApiTokenView => ({
  id: row.id,
  name: row.name,
  kind: row.kind === 'service' ? 'service' : 'user',
  userEmail: row.user?.email ?? null,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/** API tokens (not browser sessions), newest first. The plaintext is never stored, so never listed. */
export async function listApiTokens(services: Services): Promise<ApiTokenView[]> {
  const rows = await services.db.prisma.apiToken.findMany({ where: { kind: { in: ['user', 'service'] } }, select: tokenSelect, orderBy: { createdAt: 'desc' }, take: 500 });
  return rows.map(toView);
}

/** Creates a token and returns its plaintext once; only its SHA-256 is kept. */
export async function createApiToken(services: Services, owner: OperatorGrant, input: z.infer<typeof TokenCreateInput>): Promise<{ token: string; apiToken: ApiTokenView }> {
  const plaintext = generateToken(input.kind);
  const row = await inTransaction(services, async (tx) => {
    let userId: string | null = null;
    if (input.kind === 'user') {
      const email = input.email ?? owner.user.email;
      const user = await tx.user.findUnique({ where: { email }, select: { id: true } });
      if (!user) fail('USER_NOT_FOUND', `No user ${email}`);
      userId = user.id;
    } else if (input.email !== undefined) {
      fail('VALIDATION_FAILED', 'email: a service token acts as no user');
    }
    const created = await tx.apiToken.create({
      data: { tokenHash: hashToken(plaintext), name: input.name, kind: input.kind, userId, createdBy: owner.user.email },
      select: tokenSelect,
    });
    await recordAudit(tx, { at: services.now(), actor: owner.user.email, action: 'api_token.create', flagKey: null, before: null, after: { id: created.id, name: created.name, kind: created.kind, userEmail: created.user?.email ?? null } });
    return created;
  });
  return { token: plaintext, apiToken: toView(row) };
}

/** Revoked at once in the database; API processes stop accepting it within their token cache's 10 s. */
export async function revokeApiToken(services: Services, owner: OperatorGrant, input: z.infer<typeof TokenRevokeInput>): Promise<ApiTokenView> {
  const row = await inTransaction(services, async (tx) => {
    const [before] = await tx.$queryRaw<Array<{ revoked_at: Date | null }>>`SELECT revoked_at FROM api_tokens WHERE id = ${input.id} AND kind IN ('user', 'service') FOR UPDATE`;
    if (!before) fail('TOKEN_NOT_FOUND', `No API token ${input.id}`);
    if (before.revoked_at) fail('CONFLICT', 'That token is already revoked');
    const revoked = await tx.apiToken.update({ where: { id: input.id }, data: { revokedAt: services.now() }, select: tokenSelect });
    await recordAudit(tx, { at: services.now(), actor: owner.user.email, action: 'api_token.revoke', flagKey: null, before: { id: revoked.id, revoked: false }, after: { id: revoked.id, revoked: true } });
    return revoked;
  });
  tokenResolver(services).forget(row.id);
  return toView(row);
}
