// A TCP proxy on loopback that holds every chunk for `oneWayMs` in each direction, so a round trip
// through it costs 2 × oneWayMs more (tc netem is not available in this kernel).
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface DelayProxy {
  readonly port: number;
  setDelay(oneWayMs: number): void;
  close(): Promise<void>;
}

export async function startDelayProxy(target: { host: string; port: number }, listen: { host: string; port: number }): Promise<DelayProxy> {
  let delay = 0;
  const sockets = new Set<Socket>();
  // Each chunk leaves `delay` ms after it arrived; equal delays keep the byte order.
  const forward = (from: Socket, to: Socket): void => {
    from.on('data', (chunk) => {
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, delay);
    });
    from.on('end', () => setTimeout(() => to.end(), delay));
    from.on('error', () => to.destroy());
    from.on('close', () => setTimeout(() => to.destroy(), delay));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    forward(client, upstream);
    forward(upstream, client);
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
