import { NoInput } from '../contract/inputs.js';
import { router, signedInProcedure } from '../trpc.js';

/** Who the apps are talking to: the user, their operator role, their workspaces and the one in use. */
export const sessionRouter = router({
  whoami: signedInProcedure.input(NoInput).query(({ ctx }) => {
    const { user, memberships, workspace, via } = ctx.principal;
    return { user, via, workspaces: memberships, workspace };
  }),
});
