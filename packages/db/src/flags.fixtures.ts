import type { Prisma } from './generated/prisma/client.js';

/** A valid flag row for tests that write flags; override what the test is about. */
export const testFlag = (key: string, fields: Partial<Prisma.FlagUncheckedCreateInput> = {}): Prisma.FlagUncheckedCreateInput => ({
  key,
  name: `Flag ${key}`,
  stage: 'beta',
  ttlStart: new Date('2026-01-01T00:00:00Z'),
  ttlDays: 90,
  owner: 'owner@stagegate.dev',
  ...fields,
});
