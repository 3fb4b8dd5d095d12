import { lifecycleStatus } from '../../domain/status.js';
import { adminProcedure } from '../../trpc.js';
import { NoInput } from '../noInput.js';

/** The lifecycle dashboard: live flags by stage with their TTLs, and the TTL warnings. */
export const adminStatusProcedure = adminProcedure.input(NoInput).query(({ ctx }) => lifecycleStatus(ctx.services));
