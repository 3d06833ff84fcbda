// The MTA-STS policy over node:https (RFC 8461 §3.3): HTTPS only, HTTP/1.1 with the system roots (+ --ca), SNI and
// the host-name check, the host resolved through DoH, the body read up to the core's cap.
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Fetch } from '../core/index.ts';
import { boundedResponse } from './bounded-response.ts';

/** `agent`: the platform's own keep-alive pool, so closing the platform ends every connection it opened. */
export function fetchPolicyOver(lookup: LookupFunction, agent: https.Agent): Fetch {
  return (url, request) => boundedResponse(request, (onResponse, onError, body) => {
    const target = new URL(url);
    if (target.protocol !== 'https:') return onError(new Error(`refusing ${target.protocol} URL`));
    const req = https.request(target, { method: request.method, headers: request.headers, lookup, agent });
    req.on('error', onError);
    req.on('response', (response) => {
      onResponse(response.statusCode ?? 0, (name) => response.headers[name.toLowerCase()]);
      body(response, () => response.destroy());
    });
    req.end(request.body);
    return () => req.destroy();
  });
}
