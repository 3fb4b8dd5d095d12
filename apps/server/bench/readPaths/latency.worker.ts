// Sequential requests over one keep-alive connection, timed one by one (a worker thread: the client
// must not share the server's event loop). Answers the sorted latencies in microseconds.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface LatencyJob {
  url: string;
  headers: Record<string, string>;
  expectStatus: number;
  warmup: number;
  minRequests: number;
  minMs: number;
}

export interface LatencyResult {
  micros: number[];
  failed: number;
}

const job = workerData as LatencyJob;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function once(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(job.url, { agent, headers: job.headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(): Promise<LatencyResult> {
  let failed = 0;
  for (let i = 0; i < job.warmup; i++) if ((await once()) !== job.expectStatus) failed++;
  const micros: number[] = [];
  const until = performance.now() + job.minMs;
  while (micros.length < job.minRequests || performance.now() < until) {
    const start = process.hrtime.bigint();
    const status = await once();
    micros.push(Number(process.hrtime.bigint() - start) / 1000);
    if (status !== job.expectStatus) failed++;
  }
  agent.destroy();
  return { micros: micros.sort((a, b) => a - b), failed };
}

parentPort?.postMessage(await run());
