// The Node side of the core's Platform, put together: DoH over node:http2 (doh-transport.ts), policy documents over
// node:https (fetch-policy.ts) and the probe's sockets (probe-connection.ts), each host resolved through the same DoH
// resolvers (resolve-over-doh.ts).
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { domainToASCII } from 'node:url';
import { lookup, type DohOptions, type Platform } from '../core/index.ts';
import { createDohTransport } from './doh-transport.ts';
import { fetchPolicyOver } from './fetch-policy.ts';
import { connectForProbe, nodeDigest } from './probe-connection.ts';
import { resolveOverDoh } from './resolve-over-doh.ts';

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

  const resolveHost = resolveOverDoh((question) => lookup(question, dohOptions, platform));
  const fetchPolicy = fetchPolicyOver(resolveHost, agent);

  const platform: Platform = {
    fetch: doh.fetch,
    fetchPolicy,
    now: () => Date.now(),
    random: () => Math.random(),
    timeout: (ms) => AbortSignal.timeout(ms),
    toAscii: (domain) => domainToASCII(domain) || null,
    connect: connectForProbe(resolveHost, secureContext),
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
