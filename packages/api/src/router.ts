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

/** In-process calls without HTTP: `createCaller(createContextInner({ services, auth }))`. */
export const createCaller = createCallerFactory(appRouter);
