// The Node figures: our CLI core (one query, warm, cold, with transport checks), the naive sequential client,
// a cached re-discovery, and dohdec (a Node DoH client from npm) asking the same six SRV labels.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createNodePlatform } from '../src/cli/platform.ts';
import {
  discover, discoverWithCache, lookup, parseAddress, SERVICE_LABELS,
  type DiscoveryOptions, type EmailAddress, type Fetch, type Platform,
} from '../src/core/index.ts';
import { memoryStorage } from '../test/support/memory-storage.ts';
import type { BenchNetwork } from './setup.ts';
import { watchSockets } from './socket-timing.ts';
import { repeat, RUNS, stats, time, type Stats } from './timing.ts';

export const ADDRESS = 'alice@example.test';
export const SRV_NAMES = SERVICE_LABELS.map((s) => `${s.label}.example.test`);

export interface NodeRow {
  readonly rtt: number;
  readonly single: Stats;
  readonly cold: Stats;
  readonly warm: Stats;
  readonly transport: Stats;
  readonly sequential: Stats;
  readonly dohdec: Stats;
  /** Where a cold discovery's time goes, ms after it started: TCP connected, TLS done, the last answer in. */
  readonly coldSteps: { readonly tcp: Stats; readonly tls: Stats; readonly answered: Stats };
}

export function address(text: string): EmailAddress {
  const parsed = parseAddress(text, { toAscii: (d) => d });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

export async function nodeFigures(net: BenchNetwork, rtt: number): Promise<NodeRow> {
  const base: DiscoveryOptions = { resolvers: [net.doh], method: 'GET', timeoutMs: 5000 };
  const alice = address(ADDRESS);
  const withTransport = { ...base, transport: true };
  // A run that failed fast must not pass for a fast run.
  const found = (options: DiscoveryOptions, platform: Platform) => async (): Promise<void> => {
    const result = await discover(alice, options, platform);
    const complete = result.status === 'found' && (options.transport !== true || result.transport !== null);
    if (!complete) throw new Error(`bench lookup: ${result.status}`);
  };
  const answered = (name: string, platform: Platform) => async (): Promise<void> => {
    const result = await lookup({ name, type: 'SRV' }, base, platform);
    if (result.status !== 'answer') throw new Error(`bench lookup of ${name}: ${result.status}`);
  };
  const warm = createNodePlatform(net.caFile, base);
  try {
    await time(found(withTransport, warm.platform), 'warm-up'); // opens the HTTP/2 and policy connections
    const single = await repeat(RUNS, () => time(answered(`_imaps._tcp.${alice.domain}`, warm.platform), 'single'));
    const warmRuns = await repeat(RUNS, () => time(found(base, warm.platform), 'warm'));
    const transport = await repeat(RUNS, () => time(found(withTransport, warm.platform), 'transport'));
    // The naive client: the six labels one after another on the same warm connection.
    const sequential = await repeat(RUNS, () => time(async () => {
      for (const name of SRV_NAMES) await answered(name, warm.platform)();
    }, 'sequential'));
    // Cold: a new TCP + TLS + HTTP/2 connection for every run; the CA store is built before the clock starts, as the CLI
    // builds it once per process.
    const sockets = watchSockets();
    const steps: { tcp: number; tls: number; answered: number }[] = [];
    const cold = await repeat(RUNS, async () => {
      const fresh = createNodePlatform(net.caFile, base);
      const started = performance.now();
      let answered = NaN;
      const fetch: Fetch = async (url, request) => {
        const response = await fresh.platform.fetch(url, request);
        answered = performance.now() - started;
        return response;
      };
      const opened = sockets.next(undefined, started);
      try {
        return await time(found(base, { ...fresh.platform, fetch }), 'cold');
      } finally {
        const times = opened();
        steps.push({ tcp: times?.connect ?? NaN, tls: times?.secure ?? NaN, answered });
        fresh.close();
      }
    }).finally(() => sockets.stop());
    const of = (pick: (s: (typeof steps)[number]) => number): Stats => stats(steps.map(pick));
    return {
      rtt, single: stats(single), cold: stats(cold), warm: stats(warmRuns), transport: stats(transport), sequential: stats(sequential),
      dohdec: stats(await dohdec(net)), coldSteps: { tcp: of((s) => s.tcp), tls: of((s) => s.tls), answered: of((s) => s.answered) },
    };
  } finally {
    warm.close();
  }
}

/**
 * dohdec as its README shows it (`new DNSoverHTTPS({url})`, `lookup(name, {rrtype, json: false})`), with its
 * HTTP/2 option on (unbound speaks only HTTP/2) and the six lookups at once. It reads the CA from
 * NODE_EXTRA_CA_CERTS, which Node takes only at start: hence a child process (its start is not timed).
 */
async function dohdec(net: BenchNetwork): Promise<number[]> {
  // Asynchronous: the delay proxy runs in this process's event loop.
  const { stdout: out } = await promisify(execFile)(process.execPath, ['bench/peers/dohdec.mjs', net.doh, String(RUNS), ...SRV_NAMES], {
    encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: net.caFile }, timeout: 120_000,
  });
  process.stdout.write('.');
  return JSON.parse(out) as number[];
}

/** Where a cold discovery's time beyond three round trips goes: the same cold run with no added delay, direct and through the proxy. */
export interface ColdBreakdown { readonly direct: Stats; readonly proxied: Stats }

export async function coldBreakdown(net: BenchNetwork): Promise<ColdBreakdown> {
  net.setRtt(0);
  const cold = (url: string) => async (): Promise<number> => {
    const base: DiscoveryOptions = { resolvers: [url], method: 'GET', timeoutMs: 5000 };
    const fresh = createNodePlatform(net.caFile, base);
    try {
      return await time(async () => {
        const result = await discover(address(ADDRESS), base, fresh.platform);
        if (result.status !== 'found') throw new Error(`bench lookup: ${result.status}`);
      }, 'cold at 0 ms');
    } finally {
      fresh.close();
    }
  };
  return { direct: stats(await repeat(RUNS, cold(net.direct))), proxied: stats(await repeat(RUNS, cold(net.doh))) };
}

/** docs/performance.md: a cached re-discovery makes zero network requests. */
export async function cachedRediscovery(net: BenchNetwork): Promise<{ requests: number; time: Stats }> {
  const base: DiscoveryOptions = { resolvers: [net.doh], method: 'GET', timeoutMs: 5000 };
  const node = createNodePlatform(net.caFile, base);
  let requests = 0;
  const counting: Fetch = (url, request) => { requests++; return node.platform.fetch(url, request); };
  const platform: Platform = { ...node.platform, fetch: counting, fetchPolicy: counting, storage: memoryStorage() };
  try {
    await discoverWithCache(address(ADDRESS), base, platform);
    const before = requests;
    const times = await repeat(RUNS, () => time(() => discoverWithCache(address('bob@example.test'), base, platform)));
    return { requests: requests - before, time: stats(times) };
  } finally {
    node.close();
  }
}
