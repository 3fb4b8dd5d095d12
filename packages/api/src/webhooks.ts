import { createHmac } from 'node:crypto';
import type { Prisma } from '@stagegate/db';
import { inTransaction } from './domain/transaction.js';
import type { Services } from './services.js';

export type WebhookEvent = 'flag.killed' | 'flag.restored' | 'guard.tripped' | 'plan.step' | 'plan.completed';

export interface WebhookSettings {
  /** Where deliveries are POSTed; unset: webhooks are off and nothing is enqueued. */
  url: string | undefined;
  /** The HMAC-SHA256 key of X-Stagegate-Signature (required with a URL). */
  secret: string | undefined;
  /** One attempt's limit, connection and answer together. */
  timeoutMs: number;
  /** The wait after each failed attempt; attempts = this many + 1, then the delivery is `failed`. */
  retryDelaysMs: readonly number[];
  /** Deliveries one deliverDueWebhooks call claims at most. */
  batchSize: number;
}

/** 6 attempts: at once, then after 10 s, 30 s, 1 min, 5 min and 15 min. */
export const WEBHOOK_RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 300_000, 900_000] as const;

/** How long sent deliveries stay in the outbox (for "what did we send?"); failed ones stay longer, for an operator to read last_error. */
export const DELIVERED_RETENTION_MS = 7 * 86_400_000;
export const FAILED_RETENTION_MS = 30 * 86_400_000;
/** Pruning is housekeeping: once an hour per process is plenty. */
const PRUNE_INTERVAL_MS = 3_600_000;
const lastPruned = new WeakMap<Services, number>();

/** The settings after defaults; the URL and secret come from STAGEGATE_WEBHOOK_URL / STAGEGATE_WEBHOOK_SECRET unless given. */
export function webhookSettings(options: Partial<WebhookSettings> = {}, env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const url = 'url' in options ? options.url : env.STAGEGATE_WEBHOOK_URL || undefined;
  const secret = 'secret' in options ? options.secret : env.STAGEGATE_WEBHOOK_SECRET || undefined;
  if (url !== undefined) {
    // A misconfigured receiver should stop the start, not surface as failed deliveries hours later.
    if (!/^https?:\/\//.test(url)) throw new Error(`STAGEGATE_WEBHOOK_URL must be an http(s) URL, not "${url}"`);
    if (!secret) throw new Error('STAGEGATE_WEBHOOK_URL is set without STAGEGATE_WEBHOOK_SECRET: deliveries must be signed');
  }
  return {
    url,
    secret,
    timeoutMs: options.timeoutMs ?? 5_000,
    retryDelaysMs: options.retryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS,
    batchSize: options.batchSize ?? 50,
  };
}

/**
 * Puts one delivery in the outbox (webhook_deliveries) inside the caller's transaction: a change that
 * rolls back sends nothing, and one that commits is sent even if this process stops right after.
 * Nothing leaves the process here; deliverDueWebhooks sends. A no-op while webhooks are off.
 */
export async function enqueueWebhook(tx: Prisma.TransactionClient, services: Services, event: WebhookEvent, payload: Record<string, unknown>): Promise<void> {
  if (services.webhooks.url === undefined) return;
  const now = services.now();
  await tx.webhookDelivery.create({ data: { event, payload: payload as Prisma.InputJsonObject, createdAt: now, nextAttemptAt: now }, select: { id: true } });
}

/** `sha256=<hex>` over "<timestamp>.<body>": what a receiver recomputes with the shared secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface Claimed {
  id: number;
  event: string;
  payload: Prisma.JsonValue;
  attempts: number;
  createdAt: Date;
}

export interface DeliveryRun {
  /** Answered 2xx. */
  delivered: number;
  /** Failed their last allowed attempt: now `failed`, with last_error. */
  failed: number;
  /** Failed an attempt and will be tried again at next_attempt_at. */
  retried: number;
}

/**
 * Sends what is due. Rows are claimed with FOR UPDATE SKIP LOCKED and their attempt counted and next
 * try scheduled in a short transaction that commits before any request leaves, so several processes
 * never send one delivery twice and no transaction stays open across the network. A process that
 * stops mid-send leaves its claimed rows to be retried at the time the claim scheduled.
 * The scheduler calls this every tick.
 */
export async function deliverDueWebhooks(services: Services): Promise<DeliveryRun> {
  const run: DeliveryRun = { delivered: 0, failed: 0, retried: 0 };
  const { url, secret, retryDelaysMs, batchSize, timeoutMs } = services.webhooks;
  if (url === undefined || secret === undefined) return run;
  const maxAttempts = retryDelaysMs.length + 1;
  const now = services.now();

  const claimed = await inTransaction(services, async (tx) => {
    // A row whose last attempt was claimed by a process that stopped before recording it.
    await tx.webhookDelivery.updateMany({
      where: { status: 'pending', attempts: { gte: maxAttempts }, nextAttemptAt: { lte: now } },
      data: { status: 'failed', lastError: 'the sender stopped during the last attempt' },
    });
    const due = await tx.$queryRaw<{ id: number; attempts: number }[]>`
      SELECT id, attempts FROM webhook_deliveries
      WHERE status = 'pending' AND attempts < ${maxAttempts} AND next_attempt_at <= ${now.toISOString()}::timestamp
      ORDER BY next_attempt_at, id
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED`;
    const rows: Claimed[] = [];
    for (const { id, attempts } of due) {
      // The next try's time, set at the claim: it is also the lease that keeps other processes off this row while it is sent.
      const wait = Math.max(retryDelaysMs[attempts] ?? 0, timeoutMs * 2);
      rows.push(
        await tx.webhookDelivery.update({
          where: { id },
          data: { attempts: attempts + 1, nextAttemptAt: new Date(now.getTime() + wait) },
          select: { id: true, event: true, payload: true, attempts: true, createdAt: true },
        }),
      );
    }
    return rows;
  });
  // After the claim, which answers BUSY at once while the database is known to be down.
  await prune(services, now);

  await Promise.all(
    claimed.map(async (delivery) => {
      const error = await send(url, secret, timeoutMs, delivery, services.now());
      const final = delivery.attempts >= maxAttempts;
      if (error === null) {
        await services.db.prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'delivered', deliveredAt: services.now(), lastError: null } });
        run.delivered++;
      } else {
        await services.db.prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { lastError: error, ...(final && { status: 'failed' }) } });
        if (final) {
          run.failed++;
          services.logger.warn({ delivery: delivery.id, event: delivery.event, attempts: delivery.attempts, error }, 'webhook: delivery failed, giving up');
        } else run.retried++;
      }
      services.metrics.webhookDeliveries.inc({ event: delivery.event, result: error === null ? 'delivered' : final ? 'failed' : 'retry' });
    }),
  );
  return run;
}

async function prune(services: Services, now: Date) {
  const last = lastPruned.get(services);
  if (last !== undefined && now.getTime() - last < PRUNE_INTERVAL_MS) return;
  lastPruned.set(services, now.getTime());
  await services.db.prisma.webhookDelivery.deleteMany({
    where: {
      OR: [
        { status: 'delivered', deliveredAt: { lt: new Date(now.getTime() - DELIVERED_RETENTION_MS) } },
        { status: 'failed', createdAt: { lt: new Date(now.getTime() - FAILED_RETENTION_MS) } },
      ],
    },
  });
}

/** One POST; null when the receiver answered 2xx, else why not (kept as last_error). */
async function send(url: string, secret: string, timeoutMs: number, delivery: Claimed, now: Date): Promise<string | null> {
  const body = JSON.stringify({ id: delivery.id, event: delivery.event, at: delivery.createdAt.toISOString(), payload: delivery.payload });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Stagegate-Webhooks/1',
        'x-stagegate-event': delivery.event,
        'x-stagegate-delivery': String(delivery.id),
        'x-stagegate-timestamp': timestamp,
        'x-stagegate-signature': webhookSignature(secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read to the end so the connection is reused; the answer's content does not matter.
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? null : `HTTP ${response.status}`;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}${cause}`.slice(0, 500);
  }
}
