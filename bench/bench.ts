// npm run bench: discovery speed as multiples of the resolver round-trip (DESIGN §6), cache, bundle
// sizes and popup time. Writes bench/results.md and the README's performance section.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createNodePlatform } from '../src/cli/platform.ts';
import {
  discover, discoverWithCache, lookup, parseAddress, SERVICE_LABELS, type DiscoveryOptions, type EmailAddress, type Fetch, type Platform,
} from '../src/core/index.ts';
import { launchWithExtension } from '../test/support/chromium.ts';
import { freePort } from '../test/support/global-resolver.ts';
import { memoryStorage } from '../test/support/memory-storage.ts';
import { startPolicyServer, POLICY_PORT } from '../test/support/policy-server.ts';
import { startDelayProxy } from './delay-proxy.ts';

const RTTS = [20, 50, 100];
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const POLICY_HOST = '127.0.0.2'; // the real policy server; 127.0.0.1:443 is the delaying proxy in front of it

interface Stats { median: number; p10: number; p90: number }
function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))] ?? NaN;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

const RUN_DEADLINE_MS = 15000;

/** Times one run; a run that never finishes stops the benchmark with its name instead of hanging it. */
async function time(fn: () => Promise<unknown>, what = 'a run'): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish in ${RUN_DEADLINE_MS} ms`)), RUN_DEADLINE_MS); })]);
  clearTimeout(timer);
  return performance.now() - started;
}

async function repeat(runs: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  process.stdout.write('.');
  return out;
}

function address(text: string): EmailAddress {
  const parsed = parseAddress(text, { toAscii: (d) => d });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

interface Row { rtt: number; single: Stats; cold: Stats; warm: Stats; transport: Stats; sequential: Stats }

async function main(): Promise<void> {
  const resolverPort = await freePort();
  const started = execFileSync('test/resolver/start', ['--port', String(resolverPort)], { encoding: 'utf8' });
  const value = (key: string): string => started.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1] ?? '';
  const caFile = value('CA_FILE');
  const cleanups: (() => Promise<void> | void)[] = [() => void execFileSync('test/resolver/stop', ['--port', String(resolverPort)])];
  try {
    const dohProxy = await startDelayProxy({ host: '127.0.0.1', port: resolverPort }, { host: '127.0.0.1', port: 0 });
    cleanups.push(() => dohProxy.close());
    const policies = await startPolicyServer(value('STATE_DIR'), POLICY_HOST);
    cleanups.push(() => policies.close());
    const policyProxy = await startDelayProxy({ host: POLICY_HOST, port: POLICY_PORT }, { host: '127.0.0.1', port: POLICY_PORT });
    cleanups.push(() => policyProxy.close());
    const doh = `https://127.0.0.1:${dohProxy.port}/dns-query`;
    const base: DiscoveryOptions = { resolvers: [doh], method: 'GET', timeoutMs: 5000 };
    const alice = address('alice@example.test');

    const rows: Row[] = [];
    for (const rtt of RTTS) {
      dohProxy.setDelay(rtt / 2);
      policyProxy.setDelay(rtt / 2);
      process.stdout.write(`RTT ${rtt} ms: `);
      const warm = createNodePlatform(caFile, base);
      cleanups.push(() => warm.close());
      await time(() => discover(alice, { ...base, transport: true }, warm.platform), 'warm-up'); // opens the HTTP/2 and policy connections
      const single = await repeat(RUNS, () => time(() => lookup({ name: `_imaps._tcp.${alice.domain}`, type: 'SRV' }, base, warm.platform), 'single'));
      // Cold: a new TCP + TLS + HTTP/2 connection for every run (the platform, CA store included, stays).
      const cold = await repeat(RUNS, async () => {
        warm.close();
        return time(() => discover(alice, base, warm.platform), 'cold');
      });
      await time(() => discover(alice, { ...base, transport: true }, warm.platform), 'warm-up after cold'); // warm again
      const warmRuns = await repeat(RUNS, () => time(() => discover(alice, base, warm.platform), 'warm'));
      const transport = await repeat(RUNS, () => time(() => discover(alice, { ...base, transport: true }, warm.platform), 'transport'));
      // The naive client: the six labels one after another on the same warm connection.
      const sequential = await repeat(RUNS, () => time(async () => {
        for (const s of SERVICE_LABELS) await lookup({ name: `${s.label}.${alice.domain}`, type: 'SRV' }, base, warm.platform);
      }));
      rows.push({ rtt, single: stats(single), cold: stats(cold), warm: stats(warmRuns), transport: stats(transport), sequential: stats(sequential) });
      process.stdout.write('done\n');
    }

    dohProxy.setDelay(25);
    const cached = await cachedRediscovery(caFile, base, alice);
    const bundles = ['background', 'popup', 'options'].map((name) => {
      const code = readFileSync(join('dist', `${name}.js`));
      return { name, min: code.length, gz: gzipSync(code, { level: 9 }).length };
    });
    const popup = await popupTime(doh, [join(value('STATE_DIR'), 'server.pem')]);
    const report = render(rows, cached, bundles, popup);
    writeFileSync('bench/results.md', report);
    const readme = readFileSync('README.md', 'utf8');
    const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
    if (marked.test(readme)) writeFileSync('README.md', readme.replace(marked, `<!-- bench:start -->\n${report.split('\n').slice(2).join('\n').trim()}\n<!-- bench:end -->`));
    console.log(report);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** DESIGN §6: a cached re-discovery makes zero network requests. */
async function cachedRediscovery(caFile: string, base: DiscoveryOptions, alice: EmailAddress) {
  const node = createNodePlatform(caFile, base);
  let requests = 0;
  const counting: Fetch = (url, request) => { requests++; return node.platform.fetch(url, request); };
  const platform: Platform = { ...node.platform, fetch: counting, fetchPolicy: counting, storage: memoryStorage() };
  try {
    await discoverWithCache(alice, base, platform);
    const before = requests;
    const times = await repeat(RUNS, () => time(() => discoverWithCache(address('bob@example.test'), base, platform)));
    return { requests: requests - before, time: stats(times) };
  } finally {
    node.close();
  }
}

interface PopupTimes { fromOpen: Stats; fromScript: Stats }

/** Open the popup with a cached result in Chromium: navigation start → settings shown, and our script's share. */
async function popupTime(doh: string, trust: string[]): Promise<PopupTimes> {
  const extension = await launchWithExtension({ trust });
  try {
    const options = await extension.context.newPage();
    await options.goto(extension.url('popup/options.html'));
    await options.waitForFunction(() => !(document.getElementById('save') as HTMLButtonElement).disabled);
    await options.check('#choice-custom');
    await options.fill('#custom-url', doh);
    await options.uncheck('#fallback');
    await options.click('#save');
    await options.waitForFunction(() => document.getElementById('saved')?.textContent !== '');
    const page = await extension.context.newPage();
    await page.goto(extension.url('popup/popup.html'));
    await page.fill('#address', 'alice@example.test');
    await page.click('#go');
    await page.waitForSelector('#badge .badge', { timeout: 20000 });
    const fromOpen: number[] = [];
    const fromScript: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const again = await extension.context.newPage();
      await again.goto(extension.url('popup/popup.html'));
      // Marks count from the navigation's start (the popup opening); popup:start is our script's first line.
      const [start, shown] = await again.waitForFunction(() => {
        const mark = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
        return mark('popup:shown') !== undefined && [mark('popup:start'), mark('popup:shown')];
      }).then((h) => h.jsonValue() as Promise<[number, number]>);
      fromOpen.push(shown);
      fromScript.push(shown - start);
      await again.close();
    }
    return { fromOpen: stats(fromOpen), fromScript: stats(fromScript) };
  } finally {
    await extension.close();
  }
}

function render(rows: Row[], cached: { requests: number; time: Stats }, bundles: { name: string; min: number; gz: number }[], popup: PopupTimes): string {
  const x = (ms: number, rtt: number): string => `${(ms / rtt).toFixed(2)}×`;
  const cell = (s: Stats, rtt: number): string => `${x(s.median, rtt)} (${s.median.toFixed(0)} ms; p10–p90 ${x(s.p10, rtt)}–${x(s.p90, rtt)})`;
  const verdict = (ok: boolean): string => (ok ? 'met' : '**MISSED**');
  const lines = [
    '# Benchmark results',
    '',
    `\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${RUNS} runs per figure, Node ${process.version}, DoH to unbound on loopback through a proxy that adds RTT/2 each way (the MTA-STS policy host sits behind one too). Figures are medians as multiples of the injected RTT, with the spread (10th–90th percentile).`,
    '',
    '| RTT | one query (warm) | discovery warm (target ≤ 1.2×) | discovery cold (≤ 3.3×) | with transport checks, warm (≤ 2.5×) | naive sequential | sequential / ours |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.rtt} ms | ${cell(r.single, r.rtt)} | ${cell(r.warm, r.rtt)} | ${cell(r.cold, r.rtt)} | ${cell(r.transport, r.rtt)} | ${cell(r.sequential, r.rtt)} | ${(r.sequential.median / r.warm.median).toFixed(1)} |`),
    '',
    '| target (DESIGN §6) | measured | verdict |',
    '| --- | --- | --- |',
    ...rows.flatMap((r) => [
      `| warm ≤ 1.2 × RTT at ${r.rtt} ms | ${x(r.warm.median, r.rtt)} | ${verdict(r.warm.median <= 1.2 * r.rtt)} |`,
      `| cold ≤ 3.3 × RTT at ${r.rtt} ms | ${x(r.cold.median, r.rtt)} | ${verdict(r.cold.median <= 3.3 * r.rtt)} |`,
      `| transport ≤ 2.5 × RTT warm at ${r.rtt} ms | ${x(r.transport.median, r.rtt)} | ${verdict(r.transport.median <= 2.5 * r.rtt)} |`,
    ]),
    `| cached re-discovery: 0 network requests | ${cached.requests} requests, median ${cached.time.median.toFixed(2)} ms | ${verdict(cached.requests === 0)} |`,
    ...bundles.map((b) => {
      const [min, gz] = b.name === 'background' ? [90, 26] : b.name === 'popup' ? [25, Infinity] : [Infinity, Infinity];
      const limit = Number.isFinite(min) ? `≤ ${min} KB${Number.isFinite(gz) ? ` / ${gz} KB gz` : ''}` : 'no target';
      return `| ${b.name} bundle ${limit} | ${(b.min / 1000).toFixed(1)} KB / ${(b.gz / 1000).toFixed(1)} KB gz | ${Number.isFinite(min) ? verdict(b.min <= min * 1000 && b.gz <= gz * 1000) : '—'} |`;
    }),
    `| popup shows cached settings ≤ 50 ms after open (Chromium, navigation start → shown) | median ${popup.fromOpen.median.toFixed(0)} ms (p10–p90 ${popup.fromOpen.p10.toFixed(0)}–${popup.fromOpen.p90.toFixed(0)}); of which our script ${popup.fromScript.median.toFixed(1)} ms | ${verdict(popup.fromOpen.median <= 50)} |`,
    '',
    'How to read it:',
    '- *Cold* opens a new TCP + TLS 1.3 + HTTP/2 connection: three round trips are the floor (the proxy charges the TCP handshake too); the rest is TLS and connection set-up in Node.',
    '- *With transport checks*, the MTA-STS and TLS-RPT TXT and the MX queries leave with the SRV queries, TLSA follows the SRV answer, and the policy is fetched over a kept-alive connection to its host (its own TLS handshake excluded, as DESIGN §6 says): two round trips.',
    '- *Naive sequential* asks the six SRV labels one after another on the same warm connection, as a client without parallel queries would.',
  ];
  const coldMisses = rows.filter((r) => r.cold.median > 3.3 * r.rtt);
  if (coldMisses.length > 0) {
    lines.push(`- Cold misses 3.3 × RTT at ${coldMisses.map((r) => `${r.rtt} ms (${(r.cold.median - 3 * r.rtt).toFixed(0)} ms over three round trips)`).join(', ')}: the three round trips of TCP, TLS 1.3 and the first query are the floor, and the rest is a constant — the ECDSA handshake and HTTP/2 session set-up in Node (about 3 ms with no proxy, measured) plus the proxy's own timers — which weighs most at the smallest RTT. The CA store is built once per process, not per connection (that cost 20 ms a connection before).`);
  }
  if (popup.fromOpen.median > 50) {
    lines.push(`- The popup target is missed: of the ${popup.fromOpen.median.toFixed(0)} ms from navigation start to settings on screen, our script (storage read + render) takes ${popup.fromScript.median.toFixed(1)} ms; the rest is Chromium creating the page and loading its HTML, CSS and script, measured here in a tab (the toolbar popup has the same page to open). The remaining cost is the browser's, not a round trip of ours: the popup reads the cached result straight from storage.local and waits on nothing else.`);
  }
  lines.push('');
  return lines.join('\n');
}

await main();
