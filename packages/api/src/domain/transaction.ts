import { Prisma } from '@stagegate/db';
import { DomainError } from '../contract/errors.js';
import type { Services } from '../services.js';

export type Tx = Prisma.TransactionClient;

/** A UTC instant as a `timestamp` (without time zone) parameter of raw SQL, whatever the session's time zone. */
export const sqlTimestamp = (date: Date | number) => Prisma.sql`${new Date(date).toISOString()}::timestamp`;

/**
 * Under a burst (1,000 toggles at once) transactions queue for one of the pool's connections;
 * Prisma's defaults (2 s wait, 5 s run) would fail requests that are merely waiting their turn.
 * Past these limits the caller gets BUSY (503) and may retry.
 */
const TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 20_000 } as const;

/** A raw query's failure is P2010 whatever the cause; the driver's kind says which typed code it would have been. */
function codeOf(error: Prisma.PrismaClientKnownRequestError): string {
  if (error.code !== 'P2010') return error.code;
  const kind = driverKind(error);
  return kind === 'ForeignKeyConstraintViolation' ? 'P2003' : kind === 'UniqueConstraintViolation' ? 'P2002' : error.code;
}

/** What BUSY asks a client to wait during an outage: the health probe notices a recovery within about a second. */
const RETRY_AFTER_SECONDS = 2;
const UNREACHABLE = 'The database is unreachable: nothing was changed; retry in a moment';

const CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001']);
/** The driver adapter's kinds for a lost or unreachable server (a raw query's P2010 carries them in meta). */
const CONNECTION_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout']);

const driverKind = (error: object): unknown => (error as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } }).meta?.driverAdapterError?.cause?.kind;

/** The database is down or out of reach (rather than refusing this change): worth a retry, not a 500. */
export function isUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    if (current instanceof Prisma.PrismaClientInitializationError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    const kind = driverKind(current);
    if (typeof kind === 'string' && CONNECTION_KINDS.has(kind)) return true;
    const message = (current as { message?: unknown }).message;
    // 'Query read timeout' is pg's query_timeout: a pooled connection whose server went silent.
    if (typeof message === 'string' && /connection (terminated|refused|timeout)|Connection terminated|timeout exceeded when trying to connect|Query read timeout/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Database failures the caller caused (or an outage), as stable codes instead of a 500. */
function translate(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (isUnreachable(error)) return new DomainError('BUSY', UNREACHABLE, { retryAfterSeconds: RETRY_AFTER_SECONDS, cause: error });
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return error;
  switch (codeOf(error)) {
    case 'P2002':
      return new DomainError('CONFLICT', 'That already exists');
    case 'P2003':
    case 'P2025':
      return new DomainError('CONFLICT', 'What this change refers to was changed or removed meanwhile: reload and retry');
    case 'P2034':
      return new DomainError('CONFLICT', 'A concurrent change got in the way: retry');
    case 'P2028':
      return new DomainError('BUSY', 'The database is too busy to take this change now: retry in a moment', { retryAfterSeconds: 2 });
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

/** One autocommitted write statement, with the same outage rule as a transaction: BUSY at once while the database is known down. */
export async function inStatement<T>(services: Services, write: () => PromiseLike<T>): Promise<T> {
  if (services.health.unreachable()) throw new DomainError('BUSY', UNREACHABLE, { retryAfterSeconds: RETRY_AFTER_SECONDS });
  try {
    return await write();
  } catch (error) {
    services.health.observe(error);
    throw translate(error);
  }
}

export interface TransactionOptions {
  /** 'priority' runs on db.priority, connections no user traffic queues for: the kill switch and its undo. */
  lane?: 'main' | 'priority';
}

/**
 * Runs `work` in one transaction: everything it writes (the change and its audit entry) commits
 * together. While the health monitor knows the database is out of reach it answers BUSY at once.
 */
export async function inTransaction<T>(services: Services, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (services.health.unreachable()) throw new DomainError('BUSY', UNREACHABLE, { retryAfterSeconds: RETRY_AFTER_SECONDS });
  const client = options.lane === 'priority' ? services.db.priority : services.db.prisma;
  try {
    return await client.$transaction(work, TRANSACTION_OPTIONS);
  } catch (error) {
    services.health.observe(error);
    throw translate(error);
  }
}
