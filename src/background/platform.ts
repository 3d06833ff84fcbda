// The browser side of the core's Platform: the page's fetch, storage.local, the URL parser's IDNA.
import type { Fetch, KeyValueStorage, Platform } from '../core/index.ts';
import type { Connect } from '../core/probe/connection.ts';
import { urlHostname } from '../parse-url.ts';
import type { Browser } from '../browser-api.ts';

export function storageOf(area: Browser['storage']['local']): KeyValueStorage {
  return {
    get: async (key) => (await area.get(key))[key],
    set: (key, value) => area.set({ [key]: value }),
    remove: (key) => area.remove(key),
  };
}

/**
 * The page's fetch, reading at most maxBytes + 1 octets of the body. The extension's host
 * permission lets it read answers without CORS headers (unbound's DoH sends none).
 */
export const boundedFetch: Fetch = async (url, { body, maxBytes, ...request }) => {
  // A DoH POST must state its length (RFC 9110 §8.6; BIND 9 refuses it otherwise). Content-Length
  // is the browser's to set (a forbidden header name) and it does for a known-length ArrayBuffer:
  // exactly the query's octets, whatever buffer the view lies in.
  const payload = body === undefined ? {} : { body: body.slice().buffer };
  const response = await fetch(url, { ...request, ...payload, credentials: 'omit', cache: 'no-store' });
  return {
    // redirect 'manual' hands back an opaque redirect: status 0, which the core reads as "redirected".
    status: response.type === 'opaqueredirect' ? 0 : response.status,
    headers: response.headers,
    arrayBuffer: () => readAtMost(response, maxBytes + 1),
  };
};

async function readAtMost(response: Response, limit: number): Promise<ArrayBuffer> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new ArrayBuffer(0);
  const out = new Uint8Array(limit);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value.subarray(0, limit - size), size);
    size = Math.min(limit, size + value.length);
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  return out.buffer.slice(0, size);
}

/** `connect`: Thunderbird's sockets through the probe Experiment (src/background/thunderbird-glue.ts), else none. */
export function browserPlatform(browser: Browser, connect?: Connect): Platform {
  return {
    fetch: boundedFetch,
    fetchPolicy: boundedFetch,
    now: () => Date.now(),
    random: () => Math.random(),
    timeout: (ms) => AbortSignal.timeout(ms),
    toAscii: urlHostname,
    storage: storageOf(browser.storage.local),
    ...(connect === undefined ? {} : { connect }),
    digest: async (algorithm, data) => new Uint8Array(await crypto.subtle.digest(algorithm, data as Uint8Array<ArrayBuffer>)),
  };
}
