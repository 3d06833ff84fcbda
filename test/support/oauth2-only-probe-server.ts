// A submission server (RFC 8314 §3.3 implicit TLS) whose EHLO offers only OAuth2 (RFC 7628 OAUTHBEARER, XOAUTH2): what
// a hosted provider that turned passwords off looks like. It answers EHLO and QUIT and records every command line.
import net from 'node:net';
import tls from 'node:tls';

export interface OAuth2OnlyServer {
  readonly commands: readonly string[];
  readonly stop: () => Promise<void>;
}

export async function startOAuth2OnlyServer(port: number, options: tls.TlsOptions, host = '127.0.0.1'): Promise<OAuth2OnlyServer> {
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(options, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i).replace(/\r$/, '');
        buffer = buffer.slice(i + 1);
        commands.push(line);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO') socket.write('250-smtp.oauth2only.probe.test\r\n250-AUTH OAUTHBEARER XOAUTH2\r\n250 8BITMIME\r\n');
        else if (verb === 'QUIT') socket.end('221 2.0.0 bye\r\n');
        else socket.write('502 5.5.1 not here\r\n');
      }
    });
    socket.write('220 smtp.oauth2only.probe.test ESMTP\r\n');
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    commands,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
