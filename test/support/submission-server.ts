// A tiny submission server (RFC 5321, RFC 3207, RFC 8314) for the probe tests: greeting, EHLO with AUTH and,
// where asked, STARTTLS; QUIT. It records every command line it receives, so a test can assert that no
// credential (AUTH) and no mail (MAIL, RCPT) was ever sent. It answers nothing else but 502.
import net from 'node:net';
import tls from 'node:tls';

export interface SubmissionServer {
  /** Every command line received, in order, prefixed with the port. */
  readonly transcript: string[];
  readonly stop: () => Promise<void>;
}

export interface SubmissionPorts {
  readonly implicit: number;
  readonly starttls: number;
  /** A STARTTLS port whose server does not offer STARTTLS. */
  readonly noStarttls: number;
}

export async function startSubmissionServer(
  options: tls.TlsOptions,
  ports: SubmissionPorts,
  host = '127.0.0.1',
): Promise<SubmissionServer> {
  const transcript: string[] = [];
  const sockets = new Set<net.Socket>();
  const serve = (socket: net.Socket, port: number, secure: boolean, offersStarttls: boolean, greet = true): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    const say = (text: string): void => { socket.write(`${text}\r\n`); };
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i).replace(/\r$/, '');
        buffer = buffer.slice(i + 1);
        transcript.push(`${port} ${line}`);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO') {
          const starttls = offersStarttls && !secure ? ['250-STARTTLS'] : [];
          say(['250-submission.test', ...starttls, '250-AUTH PLAIN OAUTHBEARER', '250 8BITMIME'].join('\r\n'));
        } else if (verb === 'STARTTLS' && offersStarttls && !secure) {
          say('220 2.0.0 ready');
          socket.off('data', onData);
          const upgraded = new tls.TLSSocket(socket, { ...options, isServer: true });
          serve(upgraded, port, true, offersStarttls, false);
          return;
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          socket.end();
          return;
        } else {
          say('502 5.5.1 not here');
        }
      }
    };
    socket.on('data', onData);
    // RFC 5321 §4.2: the greeting is sent once per connection, not again after STARTTLS (RFC 3207 §4.2).
    if (greet) say('220 submission.test ESMTP test server');
  };
  const servers = [
    tls.createServer(options, (s) => serve(s, ports.implicit, true, false)),
    net.createServer((s) => serve(s, ports.starttls, false, true)),
    net.createServer((s) => serve(s, ports.noStarttls, false, false)),
  ];
  const listening = [ports.implicit, ports.starttls, ports.noStarttls];
  await Promise.all(servers.map((server, i) => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listening[i], host, () => resolve());
  })));
  return {
    transcript,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
