// When a TLS connection's steps happen (bench only): tls.connect is wrapped to note the address lookup, the TCP connect
// and the TLS handshake of each new socket — node:http2 and the probe's implicit-TLS sockets both go through it.
import tls from 'node:tls';

/** ms after the clock's start; undefined when the step did not happen. */
export interface SocketTimes { readonly created: number; lookup?: number; connect?: number; secure?: number }

export interface SocketWatch {
  /** The next TLS socket to `port` (any port when undefined), its times relative to `started` (performance.now()). */
  next(port: number | undefined, started: number): () => SocketTimes | undefined;
  stop(): void;
}

export function watchSockets(): SocketWatch {
  const original = tls.connect;
  const waiting: { port: number | undefined; started: number; times?: SocketTimes }[] = [];
  const wrapped = (...args: unknown[]): tls.TLSSocket => {
    const socket = (original as (...a: unknown[]) => tls.TLSSocket).apply(tls, args);
    const options = args.find((a): a is tls.ConnectionOptions => typeof a === 'object' && a !== null);
    const port = options?.port ?? (typeof args[0] === 'number' ? args[0] : undefined);
    const watcher = waiting.find((w) => w.times === undefined && (w.port === undefined || w.port === Number(port)));
    if (watcher !== undefined) {
      const at = (): number => performance.now() - watcher.started;
      const times: SocketTimes = { created: at() };
      watcher.times = times;
      socket.once('lookup', () => { times.lookup = at(); });
      // Over a socket it was given (STARTTLS), 'connect' never fires: the TCP step is that socket's.
      socket.once('connect', () => { times.connect = at(); });
      socket.once('secureConnect', () => { times.secure = at(); });
    }
    return socket;
  };
  (tls as { connect: unknown }).connect = wrapped;
  return {
    next: (port, started) => {
      const watcher: (typeof waiting)[number] = { port, started };
      waiting.push(watcher);
      return () => {
        waiting.splice(waiting.indexOf(watcher), 1);
        return watcher.times;
      };
    },
    stop: () => { (tls as { connect: unknown }).connect = original; },
  };
}
