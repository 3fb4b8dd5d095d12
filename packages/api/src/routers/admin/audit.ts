import { AuditListInput, listAudit } from '../../domain/audit.js';
import { adminProcedure, router } from '../../trpc.js';

export const adminAuditRouter = router({
  list: adminProcedure.input(AuditListInput).query(({ ctx, input }) => listAudit(ctx.services, input)),
});
