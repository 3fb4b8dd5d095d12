import type { FlagResolution } from '@stagegate/flags-core';
import { EvaluateInput } from '../contract/inputs.js';
import { timeResolution } from '../metrics.js';
import { memberProcedure, router } from '../trpc.js';

/** How the apps gate features: the caller's resolutions in their workspace, each with its reason. */
export const flagsRouter = router({
  evaluate: memberProcedure.input(EvaluateInput).query(async ({ ctx, input }): Promise<{ resolutions: FlagResolution[] }> => {
    const { flags, now } = ctx.services;
    const evaluation = { userId: ctx.member.user.id, workspaceId: ctx.member.workspace.id, now: now() };
    const keys = input?.keys;
    const resolutions = await timeResolution(ctx.services.metrics, 'flags.evaluate', () =>
      keys ? flags.evaluateMany([...new Set(keys)], evaluation) : flags.evaluateAll(evaluation),
    );
    return { resolutions };
  }),
});
