// Mail servers that misbehave, for the probe's bad-input cases: each must end in a specific reason within the
// probe's time limit, never a hang or a crash.
import net from 'node:net';
import tls from 'node:tls';

export type Hostility = 'drip' | 'reset' | 'garbage' | 'endless' | 'huge-chain' | 'plaintext';

export interface HostileServer {
  readonly stop: () => Promise<void>;
}

const GREETING = '* OK IMAP4rev1 ready\r\n';
/** Far beyond any real certificate chain (a few KiB) and any TLS stack's limit. */
const HUGE_CHAIN_OCTETS = 10 * 1024 * 1024;

/** `options`: the TLS key and certificate (the huge chain repeats `caPem` after it). */
export async function startHostileServer(kind: Hostility, port: number, options: tls.TlsOptions, caPem: string): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const act = (socket: net.Socket): void => {
    track(socket);
    switch (kind) {
      case 'drip': {
        // One octet of a greeting every 400 ms: the line never completes within any sane limit.
        let i = 0;
        const timer = setInterval(() => { if (!socket.destroyed) socket.write(GREETING[i++ % GREETING.length]!); }, 400);
        timers.add(timer);
        socket.on('close', () => clearInterval(timer));
        return;
      }
      case 'garbage':
        const junk = [Buffer.from([0x00, 0xff, 0x16, 0x03, 0x01, 0xfe]), Buffer.from('\x07\x1b[2J junk\r\n')];
        socket.write(Buffer.concat([...junk, Buffer.from(GREETING)]));
        return;
      case 'endless': {
        socket.write('* CAPABILITY IMAP4rev1 ');
        const chunk = Buffer.alloc(64 * 1024, 'A');
        const pump = (): void => { while (!socket.destroyed && socket.write(chunk)); };
        socket.on('drain', pump);
        pump();
        return;
      }
      case 'plaintext':
        socket.write(GREETING);
        return;
      case 'huge-chain': case 'reset':
        return;
    }
  };
  let server: net.Server;
  if (kind === 'reset') {
    // A TCP reset right after the connection is accepted, before any TLS.
    server = net.createServer((socket) => { track(socket); socket.resetAndDestroy(); });
  } else if (kind === 'plaintext') {
    server = net.createServer(act);
  } else if (kind === 'huge-chain') {
    const copies = Math.ceil(HUGE_CHAIN_OCTETS / caPem.length);
    server = tls.createServer({ ...options, cert: `${String(options.cert)}\n${caPem.repeat(copies)}` }, act);
  } else {
    server = tls.createServer(options, act);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    stop: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
