import { OverrideListInput, OverrideRemoveInput, OverrideSetInput } from '../../contract/inputs.js';
import { listOverrides, removeOverride, setOverride } from '../../domain/userOverrides.js';
import { operatorProcedure, router } from '../../trpc.js';

/** One user's flag forced on or off (support cases, early access), by operators, for any user. */
export const adminUserOverridesRouter = router({
  list: operatorProcedure('viewer').input(OverrideListInput).query(({ ctx, input }) => listOverrides(ctx.services, input)),
  set: operatorProcedure('editor').input(OverrideSetInput).mutation(({ ctx, input }) => setOverride(ctx.services, ctx.operator.user, input)),
  remove: operatorProcedure('editor').input(OverrideRemoveInput).mutation(({ ctx, input }) => removeOverride(ctx.services, ctx.operator.user, input)),
});
