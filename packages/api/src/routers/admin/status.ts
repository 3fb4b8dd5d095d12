import { NoInput } from '../../contract/inputs.js';
import { lifecycleStatus } from '../../domain/status.js';
import { operatorProcedure } from '../../trpc.js';

/** The lifecycle dashboard: live flags by stage with their TTLs, and the TTL warnings. */
export const adminStatusProcedure = operatorProcedure('viewer').input(NoInput).query(({ ctx }) => lifecycleStatus(ctx.services));
