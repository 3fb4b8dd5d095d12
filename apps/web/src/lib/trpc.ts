import type { AppRouter, RouterOutputs } from '@stagegate/api';
import { createTRPCReact } from '@trpc/react-query';

export const trpc = createTRPCReact<AppRouter>();

export type BetaFeature = RouterOutputs['betaFeatures']['list']['features'][number];
export type BetaFeatureList = RouterOutputs['betaFeatures']['list'];
export type Whoami = RouterOutputs['session']['whoami'];
export type WorkspacePolicy = RouterOutputs['workspace']['policy'];
