export {
  openDatabase,
  type Database,
  type ListenOptions,
  type OpenDatabaseOptions,
  type SqlRunner,
  type SqlSession,
} from './database.js';
export {
  migrate,
  readMigrations,
  checksumOf,
  MigrationError,
  MIGRATIONS_DIR,
  type Migration,
  type MigrateOptions,
  type MigrateResult,
  type MigrationErrorCode,
} from './migrate.js';
export {
  toFlagDefinition,
  toFlagData,
  toUserState,
  flagDefinitionSelect,
  flagAdminSelect,
  betaPreferenceSelect,
  userOverrideSelect,
  type FlagDefinitionRow,
  type FlagAdminRow,
  type BetaPreferenceRow,
  type UserOverrideRow,
} from './flags.js';
export {
  createDatabaseSource,
  parseChange,
  CHANGES_CHANNEL,
  type DatabaseSource,
  type DatabaseSourceOptions,
  type DatabaseSourceStats,
} from './source.js';
export {
  seedDemo,
  hashToken,
  demoFlags,
  SeedRefusedError,
  DEMO_TOKENS,
  DEMO_USERS,
  DEMO_WORKSPACE,
  type SeedOptions,
  type SeedResult,
} from './seed.js';
export { PrismaClient, Prisma } from './generated/prisma/client.js';
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
} from './generated/prisma/client.js';
export * from './generated/prisma/enums.js';
