import { DiscoveredInput, ToggleInput, listBetaFeatures, toggleBetaFeature, trackDiscovered, trackViewed } from '../domain/betaFeatures.js';
import { protectedProcedure, router } from '../trpc.js';
import { NoInput } from './noInput.js';

/** What a signed-in user sees and changes in Settings → Beta features. */
export const betaFeaturesRouter = router({
  list: protectedProcedure.input(NoInput).query(({ ctx }) => listBetaFeatures(ctx.services, ctx.auth)),
  toggle: protectedProcedure.input(ToggleInput).mutation(({ ctx, input }) => toggleBetaFeature(ctx.services, ctx.auth, input)),
  trackViewed: protectedProcedure.input(NoInput).mutation(({ ctx }) => trackViewed(ctx.services, ctx.auth)),
  trackDiscovered: protectedProcedure.input(DiscoveredInput).mutation(({ ctx, input }) => trackDiscovered(ctx.services, ctx.auth, input)),
});
