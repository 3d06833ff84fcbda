// The browser side of the core's Platform: the page's fetch, storage.local, the URL parser's IDNA.
import type { KeyValueStorage, Platform } from '../core/index.ts';
import type { Browser } from './browser.ts';

export function storageOf(area: Browser['storage']['local']): KeyValueStorage {
  return {
    get: async (key) => (await area.get(key))[key],
    set: (key, value) => area.set({ [key]: value }),
    remove: (key) => area.remove(key),
  };
}

export function browserPlatform(browser: Browser): Platform {
  return {
    // The extension's host permission lets it read DoH answers without CORS headers (unbound sends none).
    fetch: (url, { body, ...request }) =>
      fetch(url, { ...request, ...(body === undefined ? {} : { body: body as BodyInit }), credentials: 'omit', cache: 'no-store' }),
    now: () => Date.now(),
    random: () => Math.random(),
    timeout: (ms) => AbortSignal.timeout(ms),
    toAscii: urlHostname,
    storage: storageOf(browser.storage.local),
  };
}

/** IDNA (UTS #46) as the WHATWG URL parser does it; null where it refuses. */
export function urlHostname(domain: string): string | null {
  return URL.canParse(`http://${domain}/`) ? new URL(`http://${domain}/`).hostname : null;
}

export function parseUrl(text: string): URL | null {
  return URL.canParse(text) ? new URL(text) : null;
}
