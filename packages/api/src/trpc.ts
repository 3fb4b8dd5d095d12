import { initTRPC, TRPCError } from '@trpc/server';
import type { Context } from './context.js';
import { errorCodeOf, fieldErrors, validationMessage } from './errors.js';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const fields = error.code === 'BAD_REQUEST' ? fieldErrors(error.cause) : null;
    return {
      ...shape,
      message: fields ? validationMessage(fields) : shape.message,
      data: { ...shape.data, stack: undefined, trpcCode: shape.data.code, code: errorCodeOf(error), fieldErrors: fields },
    };
  },
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** A signed-in user acting in one of their workspaces; narrows `ctx.auth`. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.authError) throw ctx.authError;
  if (ctx.auth?.kind !== 'user') throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in with a user token (Authorization: Bearer …)' });
  return next({ ctx: { ...ctx, auth: ctx.auth } });
});

/** An admin of the workspace the call is made in. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.auth.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only workspace admins can do this' });
  return next();
});
