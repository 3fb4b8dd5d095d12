import { initTRPC, TRPCError } from '@trpc/server';
import type { Access, OperatorRole } from './contract/access.js';
import { DomainError, ERRORS, isErrorCode } from './contract/errors.js';
import type { Context } from './context.js';
import { fieldErrors, logInternalTo, publicError, rejectUnsafeText, validationError } from './errors.js';
import { requireMember, requireOperator, requireSdkReader, requireUser, requireWorkspaceAdmin } from './policy.js';

export interface Meta {
  /** Who may call it; the authorization matrix test reads this from every procedure. */
  access: Access;
}

/** tRPC's own refusals (before any procedure runs), as the domain's stable codes. */
export function fromTrpcError(error: TRPCError): DomainError {
  if (error.cause instanceof DomainError) return error.cause;
  // tRPC's wording for maxBatchSize; a test pins it, so an upgrade that changes it fails loudly.
  if (error.message === 'Batch call exceeds maximum size') return new DomainError('BATCH_TOO_LARGE', 'Too many procedures in one batched request');
  if (error.code === 'BAD_REQUEST' && fieldErrors(error.cause)) return validationError(error.cause);
  if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') return new DomainError('VALIDATION_FAILED', error.message);
  // NOT_FOUND, METHOD_NOT_SUPPORTED, PAYLOAD_TOO_LARGE, … are spelled the same in both vocabularies.
  if (isErrorCode(error.code)) return new DomainError(error.code, error.message);
  if (error.code === 'TOO_MANY_REQUESTS') return new DomainError('RATE_LIMITED', error.message);
  if (error.code === 'SERVICE_UNAVAILABLE') return new DomainError('BUSY', error.message);
  return new DomainError('INTERNAL', error.message, { cause: error });
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const domain = fromTrpcError(error);
      const visible = publicError(domain.code === 'INTERNAL' ? (domain.cause ?? error) : domain, ctx ? logInternalTo(ctx.services.logger) : undefined);
      return {
        code: shape.code,
        message: visible.message,
        data: {
          code: visible.code,
          httpStatus: visible.status,
          path: shape.data.path,
          fieldErrors: visible.fieldErrors,
          ...(visible.retryAfterSeconds !== undefined && { retryAfterSeconds: visible.retryAfterSeconds }),
          ...(visible.errorId !== undefined && { errorId: visible.errorId }),
        },
      };
    },
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
  });

/** A DomainError thrown below gets the tRPC code and status its code carries (tRPC would call any non-tRPC error a 500). */
const base = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError && result.error.code === 'INTERNAL_SERVER_ERROR') {
    const { cause } = result.error;
    if (isErrorCode(cause.code)) throw new TRPCError({ code: ERRORS[cause.code].trpc, message: cause.message, cause });
  }
  return result;
});

/** After the caller is let in (so a refusal never depends on the input): unsafe text in any input is refused before its schema runs. */
const safeInput = t.middleware(async ({ getRawInput, next }) => {
  rejectUnsafeText(await getRawInput());
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = base.meta({ access: 'public' }).use(safeInput);

/** Any signed-in user, in a workspace or not; narrows `ctx.user`. */
export const signedInProcedure = base
  .meta({ access: 'signedIn' })
  .use(({ ctx, next }) => next({ ctx: { principal: requireUser(ctx.auth, ctx.authError) } }))
  .use(safeInput);

/** A user acting in one of their workspaces; narrows `ctx.member`. */
export const memberProcedure = base
  .meta({ access: 'member' })
  .use(({ ctx, next }) => next({ ctx: { member: requireMember(ctx.auth, ctx.authError) } }))
  .use(safeInput);

/** An admin of the workspace the call acts in: that workspace's beta policy, nothing else. */
export const workspaceAdminProcedure = base
  .meta({ access: 'workspaceAdmin' })
  .use(({ ctx, next }) => next({ ctx: { member: requireWorkspaceAdmin(ctx.auth, ctx.authError) } }))
  .use(safeInput);

/** An operator with at least `role`; narrows `ctx.operator`. */
export const operatorProcedure = (role: OperatorRole) =>
  base
    .meta({ access: role })
    .use(({ ctx, next }) => next({ ctx: { operator: requireOperator(ctx.auth, ctx.authError, role) } }))
    .use(safeInput);

/** A backend SDK (service token) or an operator. */
export const sdkProcedure = base
  .meta({ access: 'sdk' })
  .use(({ ctx, next }) => next({ ctx: { reader: requireSdkReader(ctx.auth, ctx.authError) } }))
  .use(safeInput);
