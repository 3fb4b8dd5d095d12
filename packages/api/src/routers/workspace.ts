import { NoInput, WorkspaceSetFlagPolicyInput, WorkspaceSetOptInBlockedInput } from '../contract/inputs.js';
import { getWorkspacePolicy, setFlagPolicy, setOptInBlocked } from '../domain/workspacePolicy.js';
import { router, workspaceAdminProcedure } from '../trpc.js';

/** A workspace admin's beta policy for their own workspace (the spec's "workspace policy"), and nothing else. */
export const workspaceRouter = router({
  policy: workspaceAdminProcedure.input(NoInput).query(({ ctx }) => getWorkspacePolicy(ctx.services, ctx.member)),
  setOptInBlocked: workspaceAdminProcedure.input(WorkspaceSetOptInBlockedInput).mutation(({ ctx, input }) => setOptInBlocked(ctx.services, ctx.member, input)),
  setFlagPolicy: workspaceAdminProcedure.input(WorkspaceSetFlagPolicyInput).mutation(({ ctx, input }) => setFlagPolicy(ctx.services, ctx.member, input)),
});
