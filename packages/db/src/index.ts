export { openDatabase, type Database, type OpenDatabaseOptions } from './database.js';
export { PrismaClient, Prisma } from './generated/prisma/client.js';
export * from './generated/prisma/enums.js';
