// A TCP proxy on loopback that holds every chunk for `oneWayMs` in each direction, so a round trip
// through it costs 2 × oneWayMs more (tc netem is not available in this kernel). The kernel
// completes the client's TCP handshake at once, so the first client chunk of each connection also
// waits one round trip: the handshake a real network would have cost. Chunks leave at their due
// time to a fraction of a millisecond: a plain setTimeout per chunk fires 1 ms or more late, and a
// TLS handshake crosses the proxy six times.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface DelayProxy {
  readonly port: number;
  setDelay(oneWayMs: number): void;
  /** Closes every open connection: the client's next request pays TCP and TLS again (a cold start). */
  dropConnections(): void;
  close(): Promise<void>;
}

/** Runs actions at their due times (performance.now() ms), in order; due times never decrease. */
function precisePipe(): (due: number, action: () => void) => void {
  const queue: { due: number; action: () => void }[] = [];
  let waiting = false;
  const pump = (): void => {
    waiting = false;
    for (;;) {
      const next = queue[0];
      if (next === undefined) return;
      const wait = next.due - performance.now();
      if (wait <= 0) {
        queue.shift();
        next.action();
        continue;
      }
      waiting = true;
      // Sleep until just before the due time, then step through the event loop to hit it.
      if (wait > 2) setTimeout(pump, wait - 2);
      else setImmediate(pump);
      return;
    }
  };
  return (due, action) => {
    queue.push({ due, action });
    if (!waiting) pump();
  };
}

export async function startDelayProxy(target: { host: string; port: number }, listen: { host: string; port: number }): Promise<DelayProxy> {
  let delay = 0;
  const sockets = new Set<Socket>();
  // Each chunk leaves `delay` ms after it arrived, and not before `openAt`.
  const forward = (from: Socket, to: Socket, openAt: number): void => {
    const send = precisePipe();
    const due = (): number => Math.max(performance.now(), openAt) + delay;
    from.on('data', (chunk) => send(due(), () => {
      if (!to.destroyed) to.write(chunk);
    }));
    from.on('end', () => send(due(), () => to.end()));
    from.on('error', () => to.destroy());
    from.on('close', () => send(due(), () => to.destroy()));
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
    dropConnections: () => { for (const s of sockets) s.destroy(); },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
