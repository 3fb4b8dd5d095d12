import { createApiProvider, sameOriginLinks } from '@stagegate/app-kit/trpc';
import type { AppRouter } from '@stagegate/api';
import { trpc } from './trpc.js';

/** The dashboard's tRPC + React Query clients; tests pass their own links. */
export const ApiProvider = createApiProvider(trpc, () => sameOriginLinks<AppRouter>());
