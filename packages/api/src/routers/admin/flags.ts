import {
  FlagArchiveInput,
  FlagCreateInput,
  FlagGetInput,
  FlagKillInput,
  FlagListInput,
  FlagRestoreInput,
  FlagSetAdminOverrideInput,
  FlagSetRolloutInput,
  FlagSetStageInput,
  FlagUpdateInput,
  archive,
  createFlag,
  getFlag,
  kill,
  listFlags,
  restore,
  setAdminOverride,
  setRollout,
  setStage,
  updateFlag,
} from '../../domain/flagAdmin.js';
import { adminProcedure, router } from '../../trpc.js';

/** Flag lifecycle for admins. Every write is versioned, audited in its transaction and published. */
export const adminFlagsRouter = router({
  list: adminProcedure.input(FlagListInput).query(({ ctx, input }) => listFlags(ctx.services, input)),
  get: adminProcedure.input(FlagGetInput).query(({ ctx, input }) => getFlag(ctx.services, input.key)),
  create: adminProcedure.input(FlagCreateInput).mutation(({ ctx, input }) => createFlag(ctx.services, ctx.auth.user, input)),
  update: adminProcedure.input(FlagUpdateInput).mutation(({ ctx, input }) => updateFlag(ctx.services, ctx.auth.user, input)),
  setStage: adminProcedure.input(FlagSetStageInput).mutation(({ ctx, input }) => setStage(ctx.services, ctx.auth.user, input)),
  setRollout: adminProcedure.input(FlagSetRolloutInput).mutation(({ ctx, input }) => setRollout(ctx.services, ctx.auth.user, input)),
  setAdminOverride: adminProcedure
    .input(FlagSetAdminOverrideInput)
    .mutation(({ ctx, input }) => setAdminOverride(ctx.services, ctx.auth.user, input)),
  kill: adminProcedure.input(FlagKillInput).mutation(({ ctx, input }) => kill(ctx.services, ctx.auth.user, input)),
  restore: adminProcedure.input(FlagRestoreInput).mutation(({ ctx, input }) => restore(ctx.services, ctx.auth.user, input)),
  archive: adminProcedure.input(FlagArchiveInput).mutation(({ ctx, input }) => archive(ctx.services, ctx.auth.user, input)),
});
