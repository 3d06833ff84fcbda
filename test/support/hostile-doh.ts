// A DoH server on loopback that misbehaves on purpose, one way per path (issue: hostile resolver).
import { Buffer } from 'node:buffer';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as packet from 'dns-packet';
import { issue } from './certificates.ts';
import { responseFor } from './fake-resolver.ts';

export type Misbehaviour =
  | 'status-500' | 'status-404' | 'html' | 'empty' | 'huge' | 'drip' | 'redirect-http'
  | 'other-question' | 'truncated' | 'forged-ad' | 'refuse-once' | 'refuse-always'
  // Answers nothing: the stream stays open until the client gives up.
  | 'hang'
  // REFUSED_STREAM for every stream of the first connection that asks, without GOAWAY; later connections answer.
  | 'refuse-stream'
  // Knot Resolver 5's rule: a stream whose HEADERS come while an earlier stream's request is still
  // incomplete (no END_STREAM yet) is refused with REFUSED_STREAM.
  | 'one-incomplete-stream';

export interface HostileDoh {
  /** https://127.0.0.1:<port>/<misbehaviour> */
  readonly url: (how: Misbehaviour) => string;
  /** HTTP/2 connections accepted so far. */
  readonly connections: () => number;
  readonly close: () => Promise<void>;
}

function queryOf(request: http2.Http2ServerRequest, body: Buffer): packet.Packet {
  const dns = new URL(request.url, 'https://x').searchParams.get('dns');
  return packet.decode(dns === null ? body : Buffer.from(dns, 'base64url'));
}

/** The answer the plain.test fixture zone gives, unsigned. */
function plainAnswer(query: packet.Packet): Uint8Array {
  const name = query.questions?.[0]?.name ?? '';
  return responseFor(query, { answers: [{ name, type: 'SRV', data: { priority: 0, weight: 0, port: 993, target: 'mail.plain.test' } }] });
}

/** `trusted`: certificate from the test CA; otherwise self-signed, a resolver nobody vouched for. */
export async function startHostileDoh(stateDir: string, { trusted }: { trusted: boolean }): Promise<HostileDoh> {
  const pair = issue(stateDir, trusted ? 'hostile' : 'hostile-untrusted', ['IP:127.0.0.1', 'localhost'], { selfSigned: !trusted });
  const timers = new Set<NodeJS.Timeout>();
  let refused = 0;
  let connections = 0;
  let refusing: http2.Http2Session | undefined;
  const open = new Map<http2.Http2Session, Set<http2.ServerHttp2Stream>>();
  const server = http2.createSecureServer({ key: pair.key, cert: pair.cert, allowHTTP1: false }, (req, res) => {
    const session = req.stream.session;
    const path = req.url.split('?')[0]?.slice(1);
    if (path === 'refuse-stream' && session !== undefined && (refusing ??= session) === session) {
      req.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    if (path === 'one-incomplete-stream' && session !== undefined) {
      const streams = open.get(session) ?? new Set();
      open.set(session, streams);
      // Frames are handled in order: an earlier stream not yet remote-closed has not sent its END_STREAM.
      if ([...streams].some((s) => s !== req.stream && !s.closed && s.state.remoteClose !== 1)) {
        req.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
        return;
      }
      streams.add(req.stream);
      req.stream.on('close', () => streams.delete(req.stream));
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const how = req.url.split('?')[0]?.slice(1) as Misbehaviour;
      const query = queryOf(req, Buffer.concat(chunks));
      const dns = (bytes: Uint8Array): void => {
        res.writeHead(200, { 'content-type': 'application/dns-message' });
        res.end(Buffer.from(bytes));
      };
      const target = (query.questions?.[0]?.name ?? '').replace(/^[^.]+\._tcp\./, '');
      const srvAnswer = {
        ad: true,
        answers: [
          {
            name: query.questions?.[0]?.name ?? '',
            type: 'SRV' as const,
            data: { priority: 0, weight: 0, port: 993, target: `mail.evil.test` },
          },
        ],
      };
      switch (how) {
        case 'status-500':
          res.writeHead(500, { 'content-type': 'text/plain' }).end('oops');
          break;
        case 'status-404':
          res.writeHead(404).end();
          break;
        case 'html':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html><script>alert(1)</script></html>');
          break;
        case 'empty':
          dns(new Uint8Array());
          break;
        case 'huge':
          dns(new Uint8Array(70000));
          break;
        case 'redirect-http':
          res.writeHead(301, { location: `http://127.0.0.1/dns-query?for=${target}` }).end();
          break;
        case 'other-question':
          dns(responseFor({ ...query, questions: [{ type: 'SRV', name: '_imaps._tcp.evil.test', class: 'IN' }] }, srvAnswer));
          break;
        case 'truncated': {
          const bytes = responseFor(query, srvAnswer);
          bytes[2]! |= 0x02;
          dns(bytes);
          break;
        }
        case 'forged-ad':
          dns(responseFor(query, srvAnswer));
          break;
        case 'hang':
          break;
        case 'refuse-stream':
        case 'one-incomplete-stream':
          dns(plainAnswer(query));
          break;
        // The stream is refused and the connection told to go away (as when a server restarts).
        case 'refuse-once':
        case 'refuse-always':
          if (how === 'refuse-always' || refused++ === 0) {
            req.stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR);
            req.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
          } else {
            dns(plainAnswer(query));
          }
          break;
        case 'drip': {
          res.writeHead(200, { 'content-type': 'application/dns-message' });
          const timer = setInterval(() => res.write(Buffer.from([0])), 200);
          timers.add(timer);
          res.on('close', () => {
            clearInterval(timer);
            timers.delete(timer);
          });
          break;
        }
        default:
          res.writeHead(400).end();
      }
    });
  });
  server.on('session', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (how) => `https://127.0.0.1:${port}/${how}`,
    connections: () => connections,
    close: () => new Promise((resolve) => {
      for (const t of timers) clearInterval(t);
      server.close(() => resolve());
      // Sessions left open by clients would keep close() waiting.
      setTimeout(resolve, 500).unref();
    }),
  };
}
