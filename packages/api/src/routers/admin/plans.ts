import { NoInput, PlanAttachInput, PlanControlInput, PlanGetInput } from '../../contract/inputs.js';
import { attachPlan, controlPlan, getPlan, listPlans } from '../../domain/releasePlans.js';
import { operatorProcedure, router } from '../../trpc.js';

const viewer = operatorProcedure('viewer');
const editor = operatorProcedure('editor');

/** Release plans: a flag's rollout on rails, advanced by the scheduler while the guard holds. */
export const adminPlansRouter = router({
  list: viewer.input(NoInput).query(({ ctx }) => listPlans(ctx.services)),
  get: viewer.input(PlanGetInput).query(({ ctx, input }) => getPlan(ctx.services, input.key)),
  attach: editor.input(PlanAttachInput).mutation(({ ctx, input }) => attachPlan(ctx.services, ctx.operator.user, input)),
  control: editor.input(PlanControlInput).mutation(({ ctx, input }) => controlPlan(ctx.services, ctx.operator.user, input)),
});
