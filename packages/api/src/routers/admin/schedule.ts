import { ScheduleCancelInput, ScheduleCreateInput, ScheduleListInput } from '../../contract/inputs.js';
import { cancelScheduledChange, createScheduledChange, listScheduledChanges } from '../../domain/scheduledChanges.js';
import { operatorProcedure, router } from '../../trpc.js';

const viewer = operatorProcedure('viewer');
const editor = operatorProcedure('editor');

/** Flag changes at a set time: a stage, rollout, kill or restore that the scheduler runs once. */
export const adminScheduleRouter = router({
  list: viewer.input(ScheduleListInput).query(({ ctx, input }) => listScheduledChanges(ctx.services, input)),
  create: editor.input(ScheduleCreateInput).mutation(({ ctx, input }) => createScheduledChange(ctx.services, ctx.operator.user, input)),
  cancel: editor.input(ScheduleCancelInput).mutation(({ ctx, input }) => cancelScheduledChange(ctx.services, ctx.operator.user, input)),
});
