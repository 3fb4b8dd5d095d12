import { DiscoveredInput, NoInput, ToggleInput } from '../contract/inputs.js';
import { listBetaFeatures, toggleBetaFeature, trackDiscovered, trackViewed } from '../domain/betaFeatures.js';
import { timeResolution } from '../metrics.js';
import { memberProcedure, router } from '../trpc.js';

/** What a signed-in user sees and changes in Settings → Beta features. */
export const betaFeaturesRouter = router({
  list: memberProcedure.input(NoInput).query(({ ctx }) => timeResolution(ctx.services.metrics, 'betaFeatures.list', () => listBetaFeatures(ctx.services, ctx.member))),
  toggle: memberProcedure.input(ToggleInput).mutation(({ ctx, input }) => toggleBetaFeature(ctx.services, ctx.member, input)),
  trackViewed: memberProcedure.input(NoInput).mutation(({ ctx }) => trackViewed(ctx.services, ctx.member)),
  trackDiscovered: memberProcedure.input(DiscoveredInput).mutation(({ ctx, input }) => trackDiscovered(ctx.services, ctx.member, input)),
});
