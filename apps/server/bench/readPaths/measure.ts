import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import type { LatencyJob, LatencyResult } from './latency.worker.js';

export interface Latency {
  p50: number;
  p99: number;
  requests: number;
  failed: number;
}

const WORKER = new URL('./latency.worker.ts', import.meta.url).href;
// Workers do not inherit tsx's loader: the worker registers it, then imports the TypeScript file.
const BOOT = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER)}); })`;

const at = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

/** p50/p99 in µs of sequential requests over one connection, the client in a worker thread. */
export function latency(job: LatencyJob): Promise<Latency> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOT, { eval: true, workerData: job });
    worker.once('message', ({ micros, failed }: LatencyResult) => resolve({ p50: at(micros, 0.5), p99: at(micros, 0.99), requests: micros.length, failed }));
    worker.once('error', reject);
  });
}

export interface Throughput {
  rps: number;
  failed: number;
}

/** Requests per second flat out over `connections` connections (autocannon in its own worker thread). */
export async function throughput(url: string, headers: Record<string, string>, expectStatus: number, seconds: number, connections: number): Promise<Throughput> {
  const result = await autocannon({ url, connections, duration: seconds, workers: 1, headers });
  // autocannon counts a 304 as non-2xx; what was expected is not a failure.
  const unexpected = expectStatus === 304 ? result.requests.total - (result.statusCodeStats?.['304']?.count ?? 0) : result.non2xx;
  return { rps: result.requests.average, failed: unexpected + result.errors + result.timeouts };
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
