import { defineConfig } from 'prisma/config';

// The CLI is used only to generate the client; migrations run through src/migrate.ts (see README).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
