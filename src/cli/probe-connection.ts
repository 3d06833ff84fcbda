// Platform.connect and Platform.digest for the CLI: the server probe's socket over node:net/node:tls, with the host
// name resolved through the DoH resolvers (never the system resolver) and the roots of `--ca`. No credential is sent.
import { createHash } from 'node:crypto';
import net, { isIP, type LookupFunction } from 'node:net';
import tls, { type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import type { Connect, ConnectionFailure, ConnectResult, LineResult, ProbeConnection, TlsFacts } from '../core/index.ts';

type Failure = { readonly ok: false; readonly reason: ConnectionFailure; readonly detail: string };

export function connectForProbe(lookup: LookupFunction, secureContext: SecureContext | undefined): Connect {
  return (request) => new Promise<ConnectResult>((resolve) => {
    const { host, port, signal } = request;
    // RFC 6066 §3: SNI carries a host name, never an address literal.
    const tlsOptions = {
      servername: isIP(host) === 0 ? host : '',
      rejectUnauthorized: false,
      ...(secureContext === undefined ? {} : { secureContext }),
    };
    const socket: net.Socket = request.tls
      ? tls.connect({ host, port, lookup, ...tlsOptions })
      : net.connect({ host, port, lookup });
    let settled = false;
    const finish = (result: ConnectResult): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, reason: 'connect-timeout', detail: 'the time limit ran out while connecting' });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (error: NodeJS.ErrnoException) => finish(failure(error, request.tls)));
    socket.once(request.tls ? 'secureConnect' : 'connect', () => {
      const connection = lineConnection(socket, host, tlsOptions, request.maxLineOctets, signal);
      finish({ ok: true, connection, tls: request.tls ? factsOf(socket as TLSSocket) : null });
    });
  });
}

export function nodeDigest(algorithm: 'SHA-256' | 'SHA-512', data: Uint8Array): Promise<Uint8Array> {
  return Promise.resolve(new Uint8Array(createHash(algorithm === 'SHA-256' ? 'sha256' : 'sha512').update(data).digest()));
}

function failure(error: NodeJS.ErrnoException, tlsExpected: boolean): Failure {
  const detail = `${error.code ?? 'error'}: ${error.message}`;
  switch (error.code) {
    case 'ECONNREFUSED': case 'ENOTFOUND': case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EADDRNOTAVAIL':
      return { ok: false, reason: 'connect-refused', detail };
    case 'ETIMEDOUT': return { ok: false, reason: 'connect-timeout', detail };
    case 'ECONNRESET': case 'EPIPE': return { ok: false, reason: 'connect-reset', detail };
    default: return { ok: false, reason: tlsExpected ? 'tls-handshake-failed' : 'connect-reset', detail };
  }
}

function factsOf(socket: TLSSocket): TlsFacts {
  const chain: Uint8Array[] = [];
  const seen = new Set<PeerCertificate>();
  // getPeerCertificate(true) links each certificate to its issuer; a root links to itself.
  for (let cert: PeerCertificate | undefined = socket.getPeerCertificate(true); cert?.raw !== undefined && !seen.has(cert);) {
    seen.add(cert);
    chain.push(new Uint8Array(cert.raw));
    cert = (cert as tls.DetailedPeerCertificate).issuerCertificate;
  }
  const error = socket.authorizationError;
  return {
    version: socket.getProtocol() ?? 'unknown',
    authorized: socket.authorized,
    error: socket.authorized ? null : error === undefined ? 'not authorized' : String(error),
    userException: false,
    chain,
  };
}

/** Lines in, lines out; STARTTLS swaps the socket underneath and drops anything the server sent ahead (RFC 3207 §4.1). */
function lineConnection(
  first: net.Socket,
  host: string,
  tlsOptions: tls.ConnectionOptions,
  maxLineOctets: number,
  signal: AbortSignal,
): ProbeConnection {
  let socket = first;
  let buffer = Buffer.alloc(0);
  let ended: Failure | null = null;
  const waiting: ((line: LineResult) => void)[] = [];

  const pump = (): void => {
    while (waiting.length > 0) {
      const newline = buffer.indexOf(0x0a);
      if (newline >= 0) {
        const line = buffer.subarray(0, newline).toString('latin1').replace(/\r$/, '');
        buffer = buffer.subarray(newline + 1);
        waiting.shift()!({ ok: true, line });
      } else if (ended === null && buffer.length > maxLineOctets) {
        end({ ok: false, reason: 'line-too-long', detail: `no line end within ${maxLineOctets} octets` });
      } else if (ended !== null) {
        waiting.shift()!(ended);
      } else {
        return;
      }
    }
  };
  const end = (why: Failure): void => {
    if (ended === null) ended = why;
    buffer = Buffer.alloc(0);
    socket.destroy();
    pump();
  };
  const attach = (s: net.Socket): void => {
    s.on('data', (chunk: Buffer) => {
      if (s !== socket) return;
      buffer = Buffer.concat([buffer, chunk]);
      // A line that never ends is cut off as soon as it passes the limit, not when memory runs out.
      if (ended === null && buffer.indexOf(0x0a) < 0 && buffer.length > maxLineOctets) {
        end({ ok: false, reason: 'line-too-long', detail: `no line end within ${maxLineOctets} octets` });
      }
      pump();
    });
    s.on('error', (error: NodeJS.ErrnoException) => {
      if (s === socket) end({ ok: false, reason: error.code === 'ECONNRESET' ? 'connect-reset' : 'closed', detail: error.message });
    });
    s.on('close', () => { if (s === socket) end({ ok: false, reason: 'closed', detail: 'the server closed the connection' }); });
  };
  const onAbort = (): void => end({ ok: false, reason: 'connect-timeout', detail: 'the time limit ran out' });
  signal.addEventListener('abort', onAbort, { once: true });
  attach(socket);

  return {
    readLine: () => new Promise((resolve) => { waiting.push(resolve); pump(); }),
    writeLine: (line) => new Promise((resolve) => {
      if (ended !== null || socket.destroyed) return resolve();
      socket.write(`${line}\r\n`, () => resolve());
    }),
    startTls: () => new Promise((resolve) => {
      if (ended !== null) return resolve(ended);
      buffer = Buffer.alloc(0);
      const plain = socket;
      plain.removeAllListeners('data');
      const secure = tls.connect({ ...tlsOptions, socket: plain, host });
      socket = secure;
      let done = false;
      secure.once('secureConnect', () => {
        if (done) return;
        done = true;
        attach(secure);
        resolve({ ok: true, tls: factsOf(secure) });
      });
      secure.once('error', (error: NodeJS.ErrnoException) => {
        if (done) return;
        done = true;
        const why: Failure = { ok: false, reason: 'tls-handshake-failed', detail: `${error.code ?? 'error'}: ${error.message}` };
        end(why);
        resolve(why);
      });
      signal.addEventListener('abort', () => {
        if (done) return;
        done = true;
        resolve({ ok: false, reason: 'connect-timeout', detail: 'the time limit ran out during the TLS handshake' });
      }, { once: true });
    }),
    close: () => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
    },
  };
}
