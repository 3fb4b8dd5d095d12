// The database's enums and row types without a client: what apps and the CLI may import at runtime
// (`@stagegate/db/schema`) without opening a connection or loading a driver.
export * from './generated/prisma/enums.js';
export type {
  User,
  Workspace,
  Membership,
  ApiToken,
  Flag,
  BetaPreference,
  UserOverride,
  AuditEntry,
  FlagEvaluationDaily,
  WorkspaceFlagPolicyEntry,
  ReleasePlan,
  ScheduledChange,
} from './generated/prisma/client.js';
