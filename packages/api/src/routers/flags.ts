import type { FlagResolution } from '@stagegate/flags-core';
import { EvaluateInput } from '../contract/inputs.js';
import { memberProcedure, router } from '../trpc.js';

/** How the apps gate features: the caller's resolutions in their workspace, each with its reason. */
export const flagsRouter = router({
  evaluate: memberProcedure.input(EvaluateInput).query(async ({ ctx, input }): Promise<{ resolutions: FlagResolution[] }> => {
    const { flags, now } = ctx.services;
    const evaluation = { userId: ctx.member.user.id, workspaceId: ctx.member.workspace.id, now: now() };
    const keys = input?.keys;
    const timer = ctx.services.metrics.resolutionDuration.startTimer({ operation: 'flags.evaluate' });
    try {
      const resolutions = keys ? await Promise.all([...new Set(keys)].map((key) => flags.evaluate(key, evaluation))) : await flags.evaluateAll(evaluation);
      return { resolutions };
    } finally {
      timer();
    }
  }),
});
