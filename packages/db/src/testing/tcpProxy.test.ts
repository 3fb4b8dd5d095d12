import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../testing.js';
import { startTcpProxy, type TcpProxy } from './tcpProxy.js';

let echo: net.Server;
let proxy: TcpProxy;
beforeAll(async () => {
  echo = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const address = echo.address() as net.AddressInfo;
  proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: address.port } });
});
afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

/** A connection through the proxy that records what comes back and whether it closed. */
async function connect() {
  const socket = net.connect(proxy.port, '127.0.0.1');
  const state = { received: '', closed: false };
  socket.on('data', (chunk) => (state.received += chunk.toString()));
  socket.on('close', () => (state.closed = true));
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, state };
}

describe('startTcpProxy', () => {
  it('forwards both ways', async () => {
    const { socket, state } = await connect();
    socket.write('ping');
    await waitFor(() => state.received === 'ping', 2_000, 'the echo');
    expect(proxy.connections()).toBe(1);
    socket.destroy();
    await waitFor(() => proxy.connections() === 0, 2_000, 'the pair to close');
  });

  it('cut() ends open connections and resets new ones until restore()', async () => {
    const open = await connect();
    await proxy.cut();
    await waitFor(() => open.state.closed, 2_000, 'the open connection to close');
    const refused = await connect();
    await waitFor(() => refused.state.closed, 2_000, 'the new connection to be reset');

    await proxy.restore();
    const again = await connect();
    again.socket.write('back');
    await waitFor(() => again.state.received === 'back', 2_000, 'the echo after restore');
    again.socket.destroy();
  });

  it('stall() carries nothing but closes nothing, and restore() lets the held bytes through', async () => {
    const open = await connect();
    await proxy.stall();
    open.socket.write('held');
    const during = await connect();
    during.socket.write('late');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([open.state, during.state]).toEqual([
      { received: '', closed: false },
      { received: '', closed: false },
    ]);

    await proxy.restore();
    await waitFor(() => open.state.received === 'held' && during.state.received === 'late', 2_000, 'the held bytes');
    open.socket.destroy();
    during.socket.destroy();
  });

  it('rewrites a database URL to go through it', () => {
    expect(proxy.url('postgres://postgres@db.internal:5432/stagegate?sslmode=disable')).toBe(`postgres://postgres@127.0.0.1:${proxy.port}/stagegate?sslmode=disable`);
  });
});
