// The Node side of the core's Platform: DoH over node:http2 (doh-transport.ts), policy documents
// over node:https with host names resolved through the same DoH resolvers.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import { domainToASCII } from 'node:url';
import { lookup, type DohOptions, type Fetch, type Platform } from '../core/index.ts';
import { boundedResponse } from './bounded-response.ts';
import { createDohTransport } from './doh-transport.ts';
import { connectForProbe, nodeDigest } from './probe-connection.ts';

export interface NodePlatform {
  readonly platform: Platform;
  /** Ends every connection at once (a session still in its handshake would keep Node alive). */
  readonly close: () => void;
}

/**
 * `caFile` adds a CA to the system roots (`--ca`, the test resolver's throwaway CA); `dohOptions` say
 * where policy hosts are resolved, so no name ever goes to the system resolver.
 */
export function createNodePlatform(caFile: string | undefined, dohOptions: DohOptions): NodePlatform {
  // Parsed once: handing `ca` (140 roots + --ca) to every connect re-parsed them all, ~20 ms a connection.
  const secureContext = caFile === undefined ? undefined : createSecureContext({ ca: [...rootCertificates, readFileSync(caFile, 'utf8')] });
  const tlsOptions = secureContext === undefined ? {} : { secureContext };
  const doh = createDohTransport(tlsOptions);
  // The platform's own keep-alive pool for policy hosts, so close() ends every connection it opened.
  const agent = new https.Agent({ keepAlive: true, ...tlsOptions });

  // A -> AAAA through DoH; an answer only counts when it is an address record.
  const resolveOverDoh: LookupFunction = (hostname, options, callback) => {
    const all = typeof options === 'object' && options.all === true;
    void (async () => {
      for (const type of ['A', 'AAAA'] as const) {
        const result = await lookup({ name: hostname.toLowerCase(), type }, dohOptions, platform);
        if (result.status === 'error') throw new Error(`${hostname}: ${result.detail}`);
        const addresses = result.status === 'answer' ? result.records.flatMap((r) => (r.data.type === type ? [r.data.address] : [])) : [];
        if (addresses.length > 0) return addresses.map((address) => ({ address, family: type === 'A' ? 4 : 6 }));
      }
      throw Object.assign(new Error(`${hostname}: no address (NXDOMAIN or NODATA)`), { code: 'ENOTFOUND' });
    })().then(
      (found) =>
        all
          ? (callback as unknown as (e: null, a: typeof found) => void)(null, found)
          : callback(null, found[0]!.address, found[0]!.family),
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };

  const fetchPolicy: Fetch = (url, request) => boundedResponse(request, (onResponse, onError, body) => {
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
    fetch: doh.fetch,
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
      doh.close();
      agent.destroy();
    },
  };
}
