import { router } from '../../trpc.js';
import { analyticsProcedure } from './analytics.js';
import { adminAuditRouter } from './audit.js';
import { adminFlagsRouter } from './flags.js';
import { adminStatusProcedure } from './status.js';
import { adminUserOverridesRouter } from './userOverrides.js';

/** Everything under `admin.*` needs the admin role in the call's workspace. */
export const adminRouter = router({
  flags: adminFlagsRouter,
  userOverrides: adminUserOverridesRouter,
  status: adminStatusProcedure,
  audit: adminAuditRouter,
  analytics: analyticsProcedure,
});
