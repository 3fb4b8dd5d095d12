import {
  FlagAnnotateInput,
  FlagArchiveInput,
  FlagBulkInput,
  FlagCreateInput,
  FlagExplainInput,
  FlagGetInput,
  FlagHealthInput,
  FlagKillInput,
  FlagListInput,
  FlagReachInput,
  FlagRestoreInput,
  FlagSetAdminOverrideInput,
  FlagSetRolloutInput,
  FlagSetStageInput,
  FlagUpdateInput,
} from '../../contract/inputs.js';
import { archive, createFlag, getFlag, kill, listFlags, restore, setAdminOverride, setRollout, setStage, updateFlag } from '../../domain/flagAdmin.js';
import { annotateFlags, bulkChange } from '../../domain/flagBulk.js';
import { explainForUser, rolloutReach } from '../../domain/flagInsight.js';
import { flagHealth } from '../../domain/pipelineHealth.js';
import { operatorProcedure, router } from '../../trpc.js';

const viewer = operatorProcedure('viewer');
const editor = operatorProcedure('editor');

/** Flag lifecycle for operators. Every write is versioned, audited in its transaction and published. */
export const adminFlagsRouter = router({
  list: viewer.input(FlagListInput).query(({ ctx, input }) => listFlags(ctx.services, input)),
  get: viewer.input(FlagGetInput).query(({ ctx, input }) => getFlag(ctx.services, input.key)),
  create: editor.input(FlagCreateInput).mutation(({ ctx, input }) => createFlag(ctx.services, ctx.operator.user, input)),
  update: editor.input(FlagUpdateInput).mutation(({ ctx, input }) => updateFlag(ctx.services, ctx.operator.user, input)),
  setStage: editor.input(FlagSetStageInput).mutation(({ ctx, input }) => setStage(ctx.services, ctx.operator.user, input)),
  setRollout: editor.input(FlagSetRolloutInput).mutation(({ ctx, input }) => setRollout(ctx.services, ctx.operator.user, input)),
  setAdminOverride: editor.input(FlagSetAdminOverrideInput).mutation(({ ctx, input }) => setAdminOverride(ctx.services, ctx.operator.user, input)),
  kill: editor.input(FlagKillInput).mutation(({ ctx, input }) => kill(ctx.services, ctx.operator.user, input)),
  restore: editor.input(FlagRestoreInput).mutation(({ ctx, input }) => restore(ctx.services, ctx.operator.user, input)),
  archive: editor.input(FlagArchiveInput).mutation(({ ctx, input }) => archive(ctx.services, ctx.operator.user, input)),
  /** A metadata file applied to many flags (dry run: the diff only). */
  annotate: editor.input(FlagAnnotateInput).mutation(({ ctx, input }) => annotateFlags(ctx.services, ctx.operator.user, input)),
  bulk: editor.input(FlagBulkInput).mutation(({ ctx, input }) => bulkChange(ctx.services, ctx.operator.user, input)),
  /** The evaluation debugger: every precedence rule for one user in one workspace. */
  explain: viewer.input(FlagExplainInput).query(({ ctx, input }) => explainForUser(ctx.services, input)),
  reach: viewer.input(FlagReachInput).query(({ ctx, input }) => rolloutReach(ctx.services, input)),
  /** route() calls, errors, fallbacks and latency per path over time, from SDK telemetry. */
  health: viewer.input(FlagHealthInput).query(({ ctx, input }) => flagHealth(ctx.services, input)),
});
