import { AuditListInput } from '../../contract/inputs.js';
import { listAudit } from '../../domain/audit.js';
import { operatorProcedure, router } from '../../trpc.js';

export const adminAuditRouter = router({
  list: operatorProcedure('viewer').input(AuditListInput).query(({ ctx, input }) => listAudit(ctx.services, input)),
});
