import type { AppRouter, RouterInputs, RouterOutputs } from '@stagegate/api';
import { createTRPCReact } from '@trpc/react-query';

export const trpc = createTRPCReact<AppRouter>();

export type Whoami = RouterOutputs['session']['whoami'];
export type AdminFlag = RouterOutputs['admin']['flags']['list'][number];
export type UserOverride = RouterOutputs['admin']['userOverrides']['list'][number];
export type AuditItem = RouterOutputs['admin']['audit']['list']['items'][number];
export type AuditFilters = NonNullable<RouterInputs['admin']['audit']['list']>;
export type Explanation = RouterOutputs['admin']['flags']['explain'];
export type ExplainStep = Explanation['steps'][number];
export type Analytics = RouterOutputs['admin']['analytics'];
export type ApiToken = RouterOutputs['admin']['tokens']['list'][number];
export type BulkResult = RouterOutputs['admin']['flags']['bulk'];
export type Stage = AdminFlag['stage'];
