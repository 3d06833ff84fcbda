// A TCP proxy on loopback that holds every chunk for `oneWayMs` in each direction, so a round trip
// through it costs 2 × oneWayMs more (tc netem is not available in this kernel). The kernel
// completes the client's TCP handshake at once, so the first client chunk of each connection also
// waits one round trip: the handshake a real network would have cost.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface DelayProxy {
  readonly port: number;
  setDelay(oneWayMs: number): void;
  close(): Promise<void>;
}

export async function startDelayProxy(target: { host: string; port: number }, listen: { host: string; port: number }): Promise<DelayProxy> {
  let delay = 0;
  const sockets = new Set<Socket>();
  // Each chunk leaves `delay` ms after it arrived (and not before `openAt`); the send times never
  // decrease, so the byte order holds.
  const forward = (from: Socket, to: Socket, openAt: number): void => {
    from.on('data', (chunk) => {
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, after());
    });
    const after = (): number => Math.max(0, openAt - performance.now()) + delay;
    from.on('end', () => setTimeout(() => to.end(), after()));
    from.on('error', () => to.destroy());
    from.on('close', () => setTimeout(() => to.destroy(), after()));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    forward(client, upstream, performance.now() + 2 * delay);
    forward(upstream, client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    setDelay: (oneWayMs) => { delay = oneWayMs; },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
