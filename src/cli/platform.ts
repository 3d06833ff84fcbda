// The Node side of the core's Platform: DoH over node:http2 (one multiplexed session per resolver),
// policy documents over node:https with host names resolved through the same DoH resolvers.
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import { domainToASCII } from 'node:url';
import { lookup, type DohOptions, type Fetch, type HttpRequest, type HttpResponse, type Platform } from '../core/index.ts';
import { connectForProbe, nodeDigest } from './probe-connection.ts';

export interface NodePlatform {
  readonly platform: Platform;
  /** Ends every HTTP/2 session at once (a session still in its handshake would keep Node alive). */
  readonly close: () => void;
}

/**
 * `caFile` adds a CA to the system roots (`--ca`, the test resolver's throwaway CA); `doh` is
 * where policy hosts are resolved, so no name ever goes to the system resolver.
 */
export function createNodePlatform(caFile: string | undefined, doh: DohOptions): NodePlatform {
  // Parsed once: handing `ca` (140 roots + --ca) to every connect re-parsed them all, ~20 ms a connection.
  const secureContext = caFile === undefined ? undefined : createSecureContext({ ca: [...rootCertificates, readFileSync(caFile, 'utf8')] });
  const tlsOptions = secureContext === undefined ? {} : { secureContext };
  const sessions = new Map<string, http2.ClientHttp2Session>();
  // The platform's own keep-alive pool for policy hosts, so close() ends every connection it opened.
  const agent = new https.Agent({ keepAlive: true, ...tlsOptions });

  const session = (origin: string): http2.ClientHttp2Session => {
    const open = sessions.get(origin);
    if (open !== undefined && !open.closed && !open.destroyed) return open;
    // Unbound's DoH speaks HTTP/2 only; a browser would also multiplex every query on one connection.
    const created = http2.connect(origin, tlsOptions);
    const forget = (): void => {
      if (sessions.get(origin) === created) sessions.delete(origin);
    };
    created.on('error', forget);
    created.on('close', forget);
    // After GOAWAY (unbound closes idle connections) new streams must go to a new connection.
    created.on('goaway', forget);
    sessions.set(origin, created);
    return created;
  };

  const fetchOnce: Fetch = (url, request) => withBody(request, (onResponse, onError, body) => {
    const target = new URL(url);
    if (target.protocol !== 'https:') return onError(new Error(`refusing ${target.protocol} URL: DoH needs https`));
    const h2 = session(target.origin);
    const stream = h2.request({
      ':method': request.method,
      ':path': `${target.pathname}${target.search}`,
      ...request.headers,
    }, { endStream: request.body === undefined });
    // A stream the server never processed (refused, or cut by GOAWAY / a closing connection) is
    // safe to send again (RFC 9113 §8.7); anything else ending without a response is an error.
    const unprocessed = (): boolean => stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM || h2.closed || h2.destroyed;
    stream.on('error', (error) => onError(Object.assign(error, { unprocessed: unprocessed() })));
    stream.on('response', (headers) => onResponse(Number(headers[':status']), (name) => headers[name.toLowerCase()]));
    stream.on('close', () => onError(Object.assign(new Error(`stream closed before a response (code ${stream.rstCode})`), { unprocessed: unprocessed() })));
    body(stream, () => stream.close(http2.constants.NGHTTP2_CANCEL));
    if (request.body !== undefined) stream.end(request.body);
    return () => stream.close(http2.constants.NGHTTP2_CANCEL);
  });

  // One retry, on a new connection, for a query the server never saw.
  const fetch: Fetch = async (url, request) => {
    try {
      return await fetchOnce(url, request);
    } catch (error) {
      if ((error as { unprocessed?: boolean }).unprocessed !== true || request.signal.aborted) throw error;
      return fetchOnce(url, request);
    }
  };

  // A -> AAAA through DoH; an answer only counts when it is an address record.
  const resolveOverDoh: LookupFunction = (hostname, options, callback) => {
    const all = typeof options === 'object' && options.all === true;
    void (async () => {
      for (const type of ['A', 'AAAA'] as const) {
        const result = await lookup({ name: hostname.toLowerCase(), type }, doh, platform);
        if (result.status === 'error') throw new Error(`${hostname}: ${result.detail}`);
        const addresses = result.status === 'answer' ? result.records.flatMap((r) => (r.data.type === type ? [r.data.address] : [])) : [];
        if (addresses.length > 0) return addresses.map((address) => ({ address, family: type === 'A' ? 4 : 6 }));
      }
      throw Object.assign(new Error(`${hostname}: no address (NXDOMAIN or NODATA)`), { code: 'ENOTFOUND' });
    })().then(
      (found) => (all ? (callback as unknown as (e: null, a: typeof found) => void)(null, found) : callback(null, found[0]!.address, found[0]!.family)),
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };

  const fetchPolicy: Fetch = (url, request) => withBody(request, (onResponse, onError, body) => {
    const target = new URL(url);
    if (target.protocol !== 'https:') return onError(new Error(`refusing ${target.protocol} URL`));
    // HTTP/1.1 with the system roots (+ --ca), SNI and host-name check: RFC 8461 §3.3 wants a valid certificate.
    const req = https.request(target, { method: request.method, headers: request.headers, lookup: resolveOverDoh, agent });
    req.on('error', onError);
    req.on('response', (response) => {
      onResponse(response.statusCode ?? 0, (name) => response.headers[name.toLowerCase()]);
      body(response, () => response.destroy());
    });
    req.end(request.body);
    return () => req.destroy();
  });

  const platform: Platform = {
    fetch,
    fetchPolicy,
    now: () => Date.now(),
    random: () => Math.random(),
    timeout: (ms) => AbortSignal.timeout(ms),
    toAscii: (domain) => domainToASCII(domain) || null,
    connect: connectForProbe(resolveOverDoh, secureContext),
    digest: nodeDigest,
  };
  return {
    platform,
    close: () => {
      for (const s of sessions.values()) s.destroy();
      sessions.clear();
      agent.destroy();
    },
  };
}

type Readable = NodeJS.ReadableStream & { on(event: 'data', listener: (chunk: Buffer) => void): unknown };

/**
 * The part both transports share: a response promise resolved at the headers, a body read up to
 * maxBytes + 1 octets, and the AbortSignal tearing both down.
 */
function withBody(
  request: HttpRequest,
  start: (
    onResponse: (status: number, header: (name: string) => string | string[] | undefined) => void,
    onError: (error: Error) => void,
    body: (stream: Readable, cancel: () => void) => void,
  ) => (() => void) | void,
): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    if (request.signal.aborted) return reject(new Error('aborted'));
    const limit = request.maxBytes + 1;
    const chunks: Buffer[] = [];
    let size = 0;
    let outcome: ArrayBuffer | Error | undefined;
    let waiter: { resolve: (b: ArrayBuffer) => void; reject: (e: Error) => void } | undefined;
    let cancel = (): void => {};
    const settle = (result: ArrayBuffer | Error): void => {
      if (outcome !== undefined) return;
      outcome = result;
      request.signal.removeEventListener('abort', onAbort);
      if (result instanceof Error) waiter?.reject(result);
      else waiter?.resolve(result);
    };
    const finish = (): void => {
      const all = Buffer.concat(chunks).subarray(0, limit);
      settle(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer);
    };
    const onError = (error: Error): void => {
      reject(error);
      settle(error);
    };
    const onAbort = (): void => {
      cancel();
      onError(new Error('aborted'));
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    // Until the body starts, an abort must tear down the request itself (connect, TLS, headers).
    const cancelRequest = start(
      (status, header) => resolve({
        status,
        headers: { get: (name) => { const v = header(name); return v === undefined ? null : String(v); } },
        arrayBuffer: () => new Promise<ArrayBuffer>((res, rej) => {
          if (outcome instanceof Error) rej(outcome);
          else if (outcome !== undefined) res(outcome);
          else waiter = { resolve: res, reject: rej };
        }),
      }),
      onError,
      (stream, cancelStream) => {
        cancel = cancelStream;
        stream.on('data', (chunk: Buffer) => {
          if (size < limit) chunks.push(chunk);
          size += chunk.length;
          if (size >= limit) {
            cancelStream();
            finish();
          }
        });
        stream.on('end', finish);
        stream.on('close', finish);
        stream.on('error', onError);
      },
    );
    if (cancelRequest !== undefined) cancel = cancelRequest;
  });
}
