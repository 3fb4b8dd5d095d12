import { NoInput, OperatorSetRoleInput, TokenCreateInput, TokenRevokeInput } from '../../contract/inputs.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../domain/apiTokens.js';
import { listOperators, setOperatorRole } from '../../domain/operators.js';
import { operatorProcedure, router } from '../../trpc.js';

const owner = operatorProcedure('owner');

/** Who may run releases, and the API tokens services and people use: owners only. */
export const adminOperatorsRouter = router({
  list: owner.input(NoInput).query(({ ctx }) => listOperators(ctx.services)),
  setRole: owner.input(OperatorSetRoleInput).mutation(({ ctx, input }) => setOperatorRole(ctx.services, ctx.operator, input)),
});

export const adminTokensRouter = router({
  list: owner.input(NoInput).query(({ ctx }) => listApiTokens(ctx.services)),
  create: owner.input(TokenCreateInput).mutation(({ ctx, input }) => createApiToken(ctx.services, ctx.operator, input)),
  revoke: owner.input(TokenRevokeInput).mutation(({ ctx, input }) => revokeApiToken(ctx.services, ctx.operator, input)),
});
