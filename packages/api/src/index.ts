import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './router.js';

export { appRouter, createCaller, type AppRouter } from './router.js';
export { createContextInner, type Context } from './context.js';
export { authenticate, tokenResolver, TOKEN_STALE_MAX_MS, AUTH_FAILURES_PER_MINUTE, type Credentials, type AuthOutcome } from './auth.js';
export { checkAccess, requireMember, requireOperator, requireSdkReader, requireUser, requireWorkspaceAdmin, type Principal, type UserPrincipal, type MemberGrant, type OperatorGrant, type WorkspaceSeat, type SignedInUser } from './policy.js';
export { logInternalTo, publicError, rejectUnsafeText, validationError, type PublicError } from './errors.js';
export { signIn, signOut, SignInInput, SESSION_TTL_MS, type NewSession } from './domain/sessions.js';
export { listBetaFeatures, toggleBetaFeature, type BetaFeature, type BetaFeatureList } from './domain/betaFeatures.js';
export { lifecycleStatus, type LifecycleStatus } from './domain/status.js';
export { isUnreachable } from './domain/transaction.js';
export { ingestMetricsReport, readRouteTotals, rollUpRouteMetrics, metricsRetentionDays, type IngestResult, type RouteTotals, type PathTotals, type RollupResult } from './domain/pipelineMetrics.js';
export type { FlagHealth, HealthPoint, PathHealth } from './domain/pipelineHealth.js';
export { fromTrpcError, type Meta } from './trpc.js';
export { createServices, type CreateServicesOptions } from './createServices.js';
export { createAnalytics } from './analytics/posthog.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { createMetrics, type Metrics, type MetricsSources, type AuthFailureReason } from './metrics.js';
export { enqueueWebhook, deliverDueWebhooks, webhookSignature, webhookSettings, WEBHOOK_RETRY_DELAYS_MS, type WebhookEvent, type WebhookSettings, type DeliveryRun } from './webhooks.js';
export type { HealthMonitor, HealthReport } from './health.js';
export type { ClientChange } from './routers/events.js';
export * from './contract/index.js';
export type { Services, ChangeBus, Analytics, EvaluationCounter } from './services.js';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
