import { router } from '../../trpc.js';
import { analyticsProcedure } from './analytics.js';
import { adminAuditRouter } from './audit.js';
import { adminEventsRouter } from './events.js';
import { adminFlagsRouter } from './flags.js';
import { adminOperatorsRouter, adminTokensRouter } from './operators.js';
import { adminPlansRouter } from './plans.js';
import { adminScheduleRouter } from './schedule.js';
import { adminStatusProcedure } from './status.js';
import { adminUserOverridesRouter } from './userOverrides.js';

/** Everything under `admin.*` is for operators (viewer reads, editor changes, owner manages access); no workspace role grants any of it. */
export const adminRouter = router({
  flags: adminFlagsRouter,
  userOverrides: adminUserOverridesRouter,
  status: adminStatusProcedure,
  audit: adminAuditRouter,
  analytics: analyticsProcedure,
  operators: adminOperatorsRouter,
  tokens: adminTokensRouter,
  events: adminEventsRouter,
  schedule: adminScheduleRouter,
  plans: adminPlansRouter,
});
