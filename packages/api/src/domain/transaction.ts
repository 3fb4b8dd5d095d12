import { TRPCError } from '@trpc/server';
import { Prisma } from '@stagegate/db';
import { domainError } from '../errors.js';
import type { Services } from '../services.js';

export type Tx = Prisma.TransactionClient;

/**
 * Under a burst (1,000 toggles at once) transactions queue for one of the pool's connections;
 * Prisma's defaults (2 s wait, 5 s run) would fail requests that are merely waiting their turn.
 * Past these limits the caller gets BUSY (503) and may retry.
 */
const TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 20_000 } as const;

/** A raw query's failure is P2010 whatever the cause; the driver's kind says which typed code it would have been. */
function codeOf(error: Prisma.PrismaClientKnownRequestError): string {
  if (error.code !== 'P2010') return error.code;
  const kind = (error.meta as { driverAdapterError?: { cause?: { kind?: unknown } } } | undefined)?.driverAdapterError?.cause?.kind;
  return kind === 'ForeignKeyConstraintViolation' ? 'P2003' : kind === 'UniqueConstraintViolation' ? 'P2002' : error.code;
}

/** Database failures the caller caused, as stable codes instead of a 500. */
function translate(error: unknown): unknown {
  if (error instanceof TRPCError || !(error instanceof Prisma.PrismaClientKnownRequestError)) return error;
  switch (codeOf(error)) {
    case 'P2002':
      return domainError('CONFLICT', 'That already exists');
    case 'P2003':
    case 'P2025':
      return domainError('CONFLICT', 'What this change refers to was changed or removed meanwhile: reload and retry');
    case 'P2034':
      return domainError('CONFLICT', 'A concurrent change got in the way: retry');
    case 'P2028':
      return domainError('BUSY', 'The database is too busy to take this change now: retry in a moment');
    default:
      return error;
  }
}

/** Awaits one database call, turning the caller's mistakes into stable codes instead of a 500. */
export async function asDomainError<T>(call: PromiseLike<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw translate(error);
  }
}

/** Runs `work` in one transaction: everything it writes (the change and its audit entry) commits together. */
export const inTransaction = <T>(services: Services, work: (tx: Tx) => Promise<T>): Promise<T> =>
  asDomainError(services.db.prisma.$transaction(work, TRANSACTION_OPTIONS));
