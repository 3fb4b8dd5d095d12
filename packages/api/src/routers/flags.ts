import { z } from 'zod';
import type { FlagResolution } from '@stagegate/flags-core';
import { protectedProcedure, router } from '../trpc.js';

/** Enough for any screen; a larger list is a client asking for everything, which `keys` unset does. */
const MAX_KEYS = 200;

const EvaluateInput = z
  .strictObject({
    /** Unset: every live flag. Unknown keys come back with reason FLAG_NOT_FOUND rather than failing the call. */
    keys: z.array(z.string().min(1).max(200)).max(MAX_KEYS).optional(),
  })
  .optional();

/** How the apps gate features: the caller's resolutions, each with its reason. */
export const flagsRouter = router({
  evaluate: protectedProcedure.input(EvaluateInput).query(async ({ ctx, input }): Promise<{ resolutions: FlagResolution[] }> => {
    const { flags, now } = ctx.services;
    const evaluation = { userId: ctx.auth.user.id, workspaceId: ctx.auth.workspaceId, now: now() };
    const keys = input?.keys;
    const resolutions = keys ? await Promise.all([...new Set(keys)].map((key) => flags.evaluate(key, evaluation))) : await flags.evaluateAll(evaluation);
    return { resolutions };
  }),
});
