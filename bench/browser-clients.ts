// Bundled for a page of the add-on in Chromium (bench/run.mjs): our core's SRV discovery and the naive
// sequential client with the page's own fetch, beside dohjs (loaded from its dist/doh.min.js, as its README says).
import { boundedFetch } from '../src/background/platform.ts';
import { discover, lookup, parseAddress, SERVICE_LABELS, type DiscoveryOptions, type Platform } from '../src/core/index.ts';
import { urlHostname } from '../src/parse-url.ts';

interface DohjsResolver { query(name: string, type: string, method?: string): Promise<{ rcode: string }> }
declare const doh: { DohResolver: new (url: string) => DohjsResolver };

const platform: Platform = {
  fetch: boundedFetch,
  fetchPolicy: boundedFetch,
  now: () => performance.now(),
  random: () => Math.random(),
  timeout: (ms) => AbortSignal.timeout(ms),
  toAscii: urlHostname,
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** One run of each client, in milliseconds. */
const clients = {
  ours: async (url: string, text: string): Promise<number> => {
    const parsed = parseAddress(text, platform);
    if (!parsed.ok) throw new Error(parsed.reason);
    const options: DiscoveryOptions = { resolvers: [url], method: 'GET', timeoutMs: 5000 };
    return timed(async () => {
      const found = await discover(parsed.value, options, platform);
      if (found.status !== 'found') throw new Error(`ours: ${found.status}`);
    });
  },
  sequential: async (url: string, domain: string): Promise<number> => {
    const options: DiscoveryOptions = { resolvers: [url], method: 'GET', timeoutMs: 5000 };
    return timed(async () => {
      for (const s of SERVICE_LABELS) {
        const answer = await lookup({ name: `${s.label}.${domain}`, type: 'SRV' }, options, platform);
        if (answer.status !== 'answer') throw new Error(`sequential: ${answer.status}`);
      }
    });
  },
  /** dohjs's README: `new doh.DohResolver(url)`, then `resolver.query(name, type)` (its default method, POST). */
  dohjs: async (url: string, domain: string): Promise<number> => {
    const resolver = new doh.DohResolver(url);
    return timed(async () => {
      const answers = await Promise.all(SERVICE_LABELS.map((s) => resolver.query(`${s.label}.${domain}`, 'SRV')));
      if (answers.some((a) => a.rcode !== 'NOERROR')) throw new Error(`dohjs: ${answers.map((a) => a.rcode).join(' ')}`);
    });
  },
};

(globalThis as unknown as { benchClients: typeof clients }).benchClients = clients;
