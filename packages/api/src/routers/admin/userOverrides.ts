import { OverrideListInput, OverrideRemoveInput, OverrideSetInput, listOverrides, removeOverride, setOverride } from '../../domain/userOverrides.js';
import { adminProcedure, router } from '../../trpc.js';

/** One user's flag forced on or off (support cases, early access), for users of the admin's workspace. */
export const adminUserOverridesRouter = router({
  list: adminProcedure.input(OverrideListInput).query(({ ctx, input }) => listOverrides(ctx.services, ctx.auth.workspaceId, input)),
  set: adminProcedure.input(OverrideSetInput).mutation(({ ctx, input }) => setOverride(ctx.services, ctx.auth.user, ctx.auth.workspaceId, input)),
  remove: adminProcedure
    .input(OverrideRemoveInput)
    .mutation(({ ctx, input }) => removeOverride(ctx.services, ctx.auth.user, ctx.auth.workspaceId, input)),
});
