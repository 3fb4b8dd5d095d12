import type { AnyProcedure } from '@trpc/server';
import { adminRouter } from './routers/admin/index.js';
import { betaFeaturesRouter } from './routers/betaFeatures.js';
import { eventsRouter } from './routers/events.js';
import { flagsRouter } from './routers/flags.js';
import { sessionRouter } from './routers/session.js';
import { workspaceRouter } from './routers/workspace.js';
import { createCallerFactory, router } from './trpc.js';

export const appRouter = router({
  session: sessionRouter,
  betaFeatures: betaFeaturesRouter,
  flags: flagsRouter,
  workspace: workspaceRouter,
  admin: adminRouter,
  events: eventsRouter,
});

export type AppRouter = typeof appRouter;

/** Every procedure by dotted path ('admin.flags.kill'): how the router keeps them at runtime (its type is the nested shape). */
export const routerProcedures: Readonly<Record<string, AnyProcedure>> = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;

/** In-process calls without HTTP: `createCaller(createContextInner({ services, auth }))`. */
export const createCaller = createCallerFactory(appRouter);
