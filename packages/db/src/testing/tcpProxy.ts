import net from 'node:net';

export interface TcpProxyOptions {
  target: { host: string; port: number };
}

export interface TcpProxy {
  /** The loopback port it listens on. */
  port: number;
  /** `dbUrl` with its host and port replaced by the proxy's. */
  url(dbUrl: string): string;
  /** A dead server that says so: destroys every open connection and resets new ones at once. */
  cut(): Promise<void>;
  /** A partition: open connections and new ones stay up but carry nothing until restore(). */
  stall(): Promise<void>;
  /** Forwards again: held bytes flow on; new connections reach the target. */
  restore(): Promise<void>;
  /** Connections open through the proxy now. */
  connections(): number;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

/**
 * A loopback TCP proxy for fault tests: real sockets that really break, so the code under test meets
 * the errors and silences a network gives, not a mocked client's idea of them.
 */
export async function startTcpProxy({ target }: TcpProxyOptions): Promise<TcpProxy> {
  let state: 'open' | 'cut' | 'stalled' = 'open';
  const pairs = new Set<Pair>();

  const server = net.createServer((client) => {
    if (state === 'cut') return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // By hand rather than pipe(): pipe() may resume a source that stall() paused.
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('data', (chunk) => to.write(chunk));
      from.on('end', () => to.end());
      from.on('error', end);
      from.on('close', end);
      // Unread bytes wait in the kernel's buffers, as they would behind a partition.
      if (state === 'stalled') from.pause();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

  const destroyAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  return {
    port: address.port,
    url(dbUrl) {
      const url = new URL(dbUrl);
      url.hostname = '127.0.0.1';
      url.port = String(address.port);
      return url.toString();
    },
    async cut() {
      state = 'cut';
      destroyAll();
    },
    async stall() {
      state = 'stalled';
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream.pause();
      }
    },
    async restore() {
      state = 'open';
      for (const { client, upstream } of pairs) {
        client.resume();
        upstream.resume();
      }
    },
    connections: () => pairs.size,
    async close() {
      destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
