import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './router.js';

export { appRouter, createCaller, type AppRouter } from './router.js';
export { createContextInner, type Auth, type Context } from './context.js';
export { createServices, type CreateServicesOptions } from './createServices.js';
export { ERROR_CODES, type ErrorCode } from './errors.js';
export type { Services, ChangeBus, Analytics, EvaluationCounter } from './services.js';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
