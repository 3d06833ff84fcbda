// The Node side of the core's Platform: DoH over node:http2, one multiplexed session per resolver.
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { rootCertificates } from 'node:tls';
import { domainToASCII } from 'node:url';
import type { Fetch, HttpResponse, Platform } from '../core/index.ts';

// One octet over RFC 8484's 65535 is enough for the core to refuse the answer as too large.
const BODY_CAP = 65536;

export interface NodePlatform {
  readonly platform: Platform;
  /** Closes every HTTP/2 session so the process can exit. */
  readonly close: () => void;
}

/** `caFile` adds a CA to the system roots, for the test resolver's throwaway CA (`--ca`). */
export function createNodePlatform(caFile?: string): NodePlatform {
  const ca = caFile === undefined ? undefined : [...rootCertificates, readFileSync(caFile, 'utf8')];
  const sessions = new Map<string, http2.ClientHttp2Session>();

  const session = (origin: string): http2.ClientHttp2Session => {
    const open = sessions.get(origin);
    if (open !== undefined && !open.closed && !open.destroyed) return open;
    // Unbound's DoH speaks HTTP/2 only; a browser would also multiplex every query on one connection.
    const created = http2.connect(origin, ca === undefined ? {} : { ca });
    created.on('error', () => sessions.delete(origin));
    created.on('close', () => sessions.delete(origin));
    sessions.set(origin, created);
    return created;
  };

  const fetch: Fetch = (url, request) => new Promise<HttpResponse>((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'https:') {
      reject(new Error(`refusing ${target.protocol} URL: DoH needs https`));
      return;
    }
    if (request.signal.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const stream = session(target.origin).request({
      ':method': request.method,
      ':path': `${target.pathname}${target.search}`,
      ...request.headers,
    }, { endStream: request.body === undefined });
    const chunks: Buffer[] = [];
    let size = 0;
    let settleBody: { resolve: (b: ArrayBuffer) => void; reject: (e: Error) => void } | undefined;
    let bodyDone: ArrayBuffer | Error | undefined;
    const finishBody = (outcome: ArrayBuffer | Error): void => {
      if (bodyDone !== undefined) return;
      bodyDone = outcome;
      if (outcome instanceof Error) settleBody?.reject(outcome);
      else settleBody?.resolve(outcome);
    };
    const onAbort = (): void => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      const error = new Error('aborted');
      reject(error);
      finishBody(error);
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    stream.on('error', (error) => { reject(error); finishBody(error); });
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_CAP) chunks.push(chunk);
      if (size > BODY_CAP) stream.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.on('close', () => {
      request.signal.removeEventListener('abort', onAbort);
      const body = Buffer.concat(chunks).subarray(0, BODY_CAP);
      finishBody(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
      reject(new Error('stream closed before a response'));
    });
    stream.on('response', (headers) => {
      const header = (name: string): string | null => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : String(value);
      };
      resolve({
        status: Number(headers[':status']),
        headers: { get: header },
        arrayBuffer: () => new Promise<ArrayBuffer>((res, rej) => {
          if (bodyDone instanceof Error) rej(bodyDone);
          else if (bodyDone !== undefined) res(bodyDone);
          else settleBody = { resolve: res, reject: rej };
        }),
      });
    });
    if (request.body !== undefined) stream.end(request.body);
  });

  const platform: Platform = {
    fetch,
    now: () => Date.now(),
    random: () => Math.random(),
    timeout: (ms) => AbortSignal.timeout(ms),
    toAscii: (domain) => domainToASCII(domain) || null,
  };
  return {
    platform,
    close: () => {
      for (const s of sessions.values()) s.destroy();
      sessions.clear();
    },
  };
}
