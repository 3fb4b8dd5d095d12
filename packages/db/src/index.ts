export {
  openDatabase,
  type Database,
  type ListenOptions,
  type OpenDatabaseOptions,
  type PoolUse,
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
  toWorkspacePolicy,
  workspacePolicySelect,
  type WorkspacePolicyRow,
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
  CHANGES_CHANNEL,
  type DatabaseSource,
  type DatabaseSourceOptions,
  type DatabaseSourceStats,
} from './source.js';
export { hashToken, generateToken } from './tokens.js';
export { PrismaClient, Prisma } from './generated/prisma/client.js';
// Enums and row types (also on the client-free subpath `@stagegate/db/schema`).
export * from './schema.js';
