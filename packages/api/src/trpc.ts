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

const asTrpcError = (cause: DomainError) => new TRPCError({ code: ERRORS[cause.code].trpc, message: cause.message, cause });

/**
 * Every procedure's one middleware: admits the caller at `access` (narrowing the context), refuses
 * unsafe text in any input before its schema runs (after the caller is let in, so a refusal never
 * depends on the input), and gives a DomainError thrown anywhere the tRPC code and status its code
 * carries (tRPC would call any non-tRPC error a 500). One layer, not three: each tRPC middleware
 * layer copies the call's options and context, a measurable share of a cached read.
 */
function guarded<Narrowed extends object>(access: Access, admit: (ctx: Context) => Narrowed) {
  return t.procedure.meta({ access }).use(async ({ ctx, getRawInput, next }) => {
    let narrowed: Narrowed;
    try {
      narrowed = admit(ctx);
      rejectUnsafeText(await getRawInput());
    } catch (error) {
      throw error instanceof DomainError ? asTrpcError(error) : error;
    }
    const result = await next({ ctx: narrowed });
    if (!result.ok && result.error.cause instanceof DomainError && result.error.code === 'INTERNAL_SERVER_ERROR') throw asTrpcError(result.error.cause);
    return result;
  });
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = guarded('public', () => ({}));

/** Any signed-in user, in a workspace or not; narrows `ctx.principal`. */
export const signedInProcedure = guarded('signedIn', (ctx) => ({ principal: requireUser(ctx.auth, ctx.authError) }));

/** A user acting in one of their workspaces; narrows `ctx.member`. */
export const memberProcedure = guarded('member', (ctx) => ({ member: requireMember(ctx.auth, ctx.authError) }));

/** An admin of the workspace the call acts in: that workspace's beta policy, nothing else. */
export const workspaceAdminProcedure = guarded('workspaceAdmin', (ctx) => ({ member: requireWorkspaceAdmin(ctx.auth, ctx.authError) }));

/** An operator with at least `role`; narrows `ctx.operator`. */
export const operatorProcedure = (role: OperatorRole) => guarded(role, (ctx) => ({ operator: requireOperator(ctx.auth, ctx.authError, role) }));

/** A backend SDK (service token) or an operator. */
export const sdkProcedure = guarded('sdk', (ctx) => ({ reader: requireSdkReader(ctx.auth, ctx.authError) }));
