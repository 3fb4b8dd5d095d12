import { createApiProvider } from '@stagegate/app-kit/trpc';
import { appLinks } from './links.js';
import { trpc } from './trpc.js';

/** The app's tRPC + React Query clients; tests pass their own links. */
export const ApiProvider = createApiProvider(trpc, appLinks);
