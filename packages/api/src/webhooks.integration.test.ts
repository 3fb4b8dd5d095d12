import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '@stagegate/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from './createServices.js';
import { inTransaction } from './domain/transaction.js';
import type { Services } from './services.js';
import { startHarness, type Harness } from './testing/harness.js';
import { deliverDueWebhooks, enqueueWebhook, WEBHOOK_RETRY_DELAYS_MS, webhookSettings } from './webhooks.js';

const SECRET = 'whsec-test-3f9a1c';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  /** The receiver's own check, as the README tells receivers to do it. */
  signatureValid: boolean;
}

/** A webhook receiver on a loopback port: records each request and answers with the next status of `answers` (then 200). */
class Receiver {
  readonly received: Received[] = [];
  answers: number[] = [];
  delayMs = 0;
  private constructor(readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const receiver: Receiver = new Receiver(
      createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => (body += chunk));
        req.on('end', () => {
          const timestamp = String(req.headers['x-stagegate-timestamp']);
          const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`);
          const presented = Buffer.from(String(req.headers['x-stagegate-signature']));
          receiver.received.push({ headers: req.headers, body, signatureValid: presented.length === expected.length && timingSafeEqual(presented, expected) });
          const status = receiver.answers.shift() ?? 200;
          setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no'), receiver.delayMs);
        });
      }).listen(0, '127.0.0.1'),
    );
    await once(receiver.server, 'listening');
    return receiver;
  }

  get url() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/stagegate`;
  }

  async close() {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

let receiver: Receiver;
let h: Harness;
let clock = Date.parse('2026-12-02T12:00:00.000Z');
const advance = (ms: number) => (clock += ms);

beforeAll(async () => {
  receiver = await Receiver.start();
  h = await startHarness({ now: () => new Date(clock), webhooks: { url: receiver.url, secret: SECRET } });
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});
afterEach(async () => {
  receiver.received.length = 0;
  receiver.answers = [];
  receiver.delayMs = 0;
  await h.db.prisma.webhookDelivery.deleteMany();
});

const rows = () => h.db.prisma.webhookDelivery.findMany({ orderBy: { id: 'asc' } });
const delivered = async (event: string, result: string) =>
  (await h.services.metrics.webhookDeliveries.get()).values.find((v) => v.labels.event === event && v.labels.result === result)?.value ?? 0;

describe('webhooks: kill and restore', () => {
  it('a kill enqueues one delivery in its transaction; it is sent once, signed, and recorded delivered', async () => {
    const before = await delivered('flag.killed', 'delivered');
    await h.owner.admin.flags.kill({ key: 'smart-summaries', reason: 'errors spiking on the new pipeline' });
    const queued = await rows();
    expect(queued).toMatchObject([{ event: 'flag.killed', status: 'pending', attempts: 0 }]);
    // The kill itself sent nothing: delivery is the scheduler's job.
    expect(receiver.received).toEqual([]);

    expect(await deliverDueWebhooks(h.services)).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.signatureValid).toBe(true);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-stagegate-event': 'flag.killed',
      'x-stagegate-delivery': String(queued[0]!.id),
      'x-stagegate-timestamp': String(Math.floor(clock / 1000)),
    });
    expect(request!.headers['x-stagegate-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(request!.body)).toEqual({
      id: queued[0]!.id,
      event: 'flag.killed',
      at: new Date(clock).toISOString(),
      payload: { flag: 'smart-summaries', reason: 'errors spiking on the new pipeline', by: 'owner@stagegate.dev', version: expect.any(Number), at: new Date(clock).toISOString() },
    });

    expect(await deliverDueWebhooks(h.services)).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(await rows()).toMatchObject([{ status: 'delivered', attempts: 1, deliveredAt: new Date(clock), lastError: null }]);
    expect(await delivered('flag.killed', 'delivered')).toBe(before + 1);

    await h.owner.admin.flags.restore({ key: 'smart-summaries', reason: 'fixed' });
    expect(await deliverDueWebhooks(h.services)).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.received.map((r) => r.headers['x-stagegate-event'])).toEqual(['flag.killed', 'flag.restored']);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('a refused kill (already killed) and a rolled-back transaction enqueue nothing', async () => {
    await h.owner.admin.flags.kill({ key: 'internal-search', reason: 'first' });
    await expect(h.owner.admin.flags.kill({ key: 'internal-search', reason: 'second' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await rows()).map((row) => row.event)).toEqual(['flag.killed']);
    await h.owner.admin.flags.restore({ key: 'internal-search', reason: 'cleanup' });
    await h.db.prisma.webhookDelivery.deleteMany();

    await expect(
      inTransaction(h.services, async (tx) => {
        await enqueueWebhook(tx, h.services, 'plan.step', { flag: 'legacy-export', step: 1 });
        throw new Error('the change failed after enqueueing');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rows()).toEqual([]);
    expect(await deliverDueWebhooks(h.services)).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(receiver.received).toEqual([]);
  });
});

describe('webhooks: retries', () => {
  const enqueue = (services: Services, payload: Record<string, unknown> = { flag: 'smart-summaries' }) =>
    inTransaction(services, (tx) => enqueueWebhook(tx, services, 'guard.tripped', payload));

  it('a receiver answering 500 is retried after the backoff and delivered once', async () => {
    receiver.answers = [500];
    await enqueue(h.services);
    expect(await deliverDueWebhooks(h.services)).toEqual({ delivered: 0, failed: 0, retried: 1 });
    expect(await rows()).toMatchObject([{ status: 'pending', attempts: 1, lastError: 'HTTP 500', nextAttemptAt: new Date(clock + WEBHOOK_RETRY_DELAYS_MS[0]) }]);
    // Not due before its backoff.
    advance(WEBHOOK_RETRY_DELAYS_MS[0] - 1_000);
    expect(await deliverDueWebhooks(h.services)).toEqual({ delivered: 0, failed: 0, retried: 0 });
    advance(1_000);
    expect(await deliverDueWebhooks(h.services)).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(new Set(receiver.received.map((r) => r.headers['x-stagegate-delivery'])).size).toBe(1);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(await rows()).toMatchObject([{ status: 'delivered', attempts: 2, lastError: null }]);
  });

  it('a receiver that is down is tried a bounded number of times with growing waits, then the delivery is failed', async () => {
    const down = await Receiver.start();
    const url = down.url;
    await down.close();
    const services = { ...h.services, webhooks: webhookSettings({ url, secret: SECRET }) };
    await enqueue(services);
    const waits: number[] = [];
    const runs = [];
    for (let attempt = 1; attempt <= WEBHOOK_RETRY_DELAYS_MS.length + 1; attempt++) {
      runs.push(await deliverDueWebhooks(services));
      const [row] = await rows();
      waits.push(row!.nextAttemptAt.getTime() - clock);
      advance(16 * 60_000);
    }
    expect(runs.slice(0, -1)).toEqual(WEBHOOK_RETRY_DELAYS_MS.map(() => ({ delivered: 0, failed: 0, retried: 1 })));
    expect(runs.at(-1)).toEqual({ delivered: 0, failed: 1, retried: 0 });
    expect(waits.slice(0, -1)).toEqual([...WEBHOOK_RETRY_DELAYS_MS]);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 6 });
    expect(row!.lastError).toMatch(/fetch failed|ECONNREFUSED/);
    expect(await deliverDueWebhooks(services)).toEqual({ delivered: 0, failed: 0, retried: 0 });
  });

  it('a receiver that never answers costs one timeout per attempt', async () => {
    receiver.delayMs = 5_000;
    const services = { ...h.services, webhooks: webhookSettings({ url: receiver.url, secret: SECRET, timeoutMs: 300 }) };
    await enqueue(services);
    expect(await deliverDueWebhooks(services)).toEqual({ delivered: 0, failed: 0, retried: 1 });
    expect((await rows())[0]!.lastError).toMatch(/TimeoutError/);
  });
});

describe('webhooks: the outbox', () => {
  it('drops delivered rows after 7 days and failed ones after 30, keeping the rest', async () => {
    const day = 86_400_000;
    const at = (ms: number) => new Date(clock - ms);
    await h.db.prisma.webhookDelivery.createMany({
      data: [
        { event: 'plan.step', payload: { n: 'old delivered' }, status: 'delivered', createdAt: at(8 * day), deliveredAt: at(8 * day) },
        { event: 'plan.step', payload: { n: 'recent delivered' }, status: 'delivered', createdAt: at(6 * day), deliveredAt: at(6 * day) },
        { event: 'plan.step', payload: { n: 'old failed' }, status: 'failed', attempts: 6, createdAt: at(31 * day) },
        { event: 'plan.step', payload: { n: 'recent failed' }, status: 'failed', attempts: 6, createdAt: at(20 * day) },
      ],
    });
    // A services object of its own: pruning runs at most once an hour per process.
    expect(await deliverDueWebhooks({ ...h.services })).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect((await rows()).map((row) => (row.payload as { n: string }).n)).toEqual(['recent delivered', 'recent failed']);
  });
});

describe('webhooks: settings', () => {
  it('are off without a URL (nothing is enqueued), and a URL without a secret refuses to start', async () => {
    const off = { ...h.services, webhooks: webhookSettings({}, {}) };
    await inTransaction(off, (tx) => enqueueWebhook(tx, off, 'flag.killed', { flag: 'x' }));
    expect(await rows()).toEqual([]);
    expect(() => webhookSettings({}, { STAGEGATE_WEBHOOK_URL: 'https://hooks.example/stagegate' })).toThrow(/STAGEGATE_WEBHOOK_SECRET/);
    expect(() => webhookSettings({}, { STAGEGATE_WEBHOOK_URL: 'ftp://hooks.example', STAGEGATE_WEBHOOK_SECRET: 's' })).toThrow(/http/);
    expect(webhookSettings({}, { STAGEGATE_WEBHOOK_URL: 'https://hooks.example/stagegate', STAGEGATE_WEBHOOK_SECRET: 's' })).toMatchObject({ url: 'https://hooks.example/stagegate', secret: 's', timeoutMs: 5_000 });
  });
});

describe('webhooks: several senders', () => {
  it('two processes delivering at once send each delivery exactly once', async () => {
    // On PostgreSQL the second sender is a second API process's services over its own connections.
    const secondDb = h.db.url ? await openDatabase({ url: h.db.url, poolSize: 4 }) : undefined;
    const second = secondDb
      ? createServices({ db: secondDb, now: () => new Date(clock), webhooks: { url: receiver.url, secret: SECRET, batchSize: 10 } })
      : { ...h.services, webhooks: { ...h.services.webhooks, batchSize: 10 } };
    try {
      for (let i = 0; i < 30; i++) await inTransaction(h.services, (tx) => enqueueWebhook(tx, h.services, 'plan.step', { flag: 'smart-summaries', step: i }));
      receiver.delayMs = 50;
      const first = { ...h.services, webhooks: { ...h.services.webhooks, batchSize: 10 } };
      const bySender = [0, 0];
      // Each call claims up to 10; repeat until nothing is left, both senders racing every round.
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all([deliverDueWebhooks(first), deliverDueWebhooks(second)]);
        results.forEach((result, sender) => (bySender[sender]! += result.delivered));
      }
      expect(bySender[0]! + bySender[1]!).toBe(30);
      // Both took part: the rows were split between them, not sent twice.
      expect(bySender.every((count) => count > 0)).toBe(true);
      const ids = receiver.received.map((r) => r.headers['x-stagegate-delivery']);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect((await rows()).every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
    } finally {
      if (secondDb) {
        await second.close();
        await secondDb.close();
      }
    }
  });
});
