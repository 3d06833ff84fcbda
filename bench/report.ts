// Writes the bench's report: bench/results.md, and the README between <!-- bench:start --> and <!-- bench:end -->.
import { readFileSync, writeFileSync } from 'node:fs';
import type { BundleSize } from './bundle-sizes.ts';
import type { ChromiumRow, ClickFigures, PopupOpen } from './chromium-figures.ts';
import { BROWSER_RUNS } from './chromium-figures.ts';
import type { ColdBreakdown, NodeRow } from './node-figures.ts';
import type { ThunderbirdFigures } from './thunderbird-figures.ts';
import { RUNS, type Stats } from './timing.ts';

export interface Report {
  readonly nodeRows: readonly NodeRow[];
  readonly chromiumRows: readonly ChromiumRow[];
  readonly thunderbird: ThunderbirdFigures;
  readonly cold: ColdBreakdown;
  readonly cached: { requests: number; time: Stats };
  readonly bundles: readonly BundleSize[];
  readonly popup: PopupOpen;
  readonly minutes: number;
}

const x = (ms: number, rtt: number): string => `${(ms / rtt).toFixed(2)}×`;
const n0 = (value: number): string => value.toFixed(0);
const cell = (s: Stats, rtt: number): string => `${x(s.median, rtt)} (${n0(s.median)} ms; p10–p90 ${x(s.p10, rtt)}–${x(s.p90, rtt)})`;
const ms = (s: Stats): string => `${n0(s.median)} ms (p10–p90 ${n0(s.p10)}–${n0(s.p90)})`;
const verdict = (ok: boolean): string => (ok ? 'met' : '**MISSED**');
const ratio = (s: Stats, ours: Stats): string => `${(s.median / ours.median).toFixed(1)}`;
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;
const row = (...cells: string[]): string => `| ${cells.join(' | ')} |`;
const target = (what: string, measured: string, ok: boolean): string => row(what, measured, verdict(ok));
const addonTarget = (rtt: number): number => 1.2 * rtt + 15;
const coldTarget = (rtt: number): number => 3 * rtt + 5;

/** A click → settings figure: ms and multiples of RTT with the spread. */
const clickCell = (s: Stats, rtt: number): string => `${n0(s.median)} ms = ${x(s.median, rtt)} (p10–p90 ${n0(s.p10)}–${n0(s.p90)} ms)`;
const phases = (f: ClickFigures): string => {
  const p = f.phases;
  const at = (s: Stats): string => (Number.isNaN(s.median) ? '—' : n0(s.median));
  return `first request ${at(p.firstRequest)}, SRV answered ${at(p.srvAnswered)}, all DNS ${at(p.dnsAnswered)}, `
    + `policy ${at(p.policyFetched)}, in page ${n0(f.inserted.median)}, on screen ${n0(f.total.median)}`;
};

export function render(r: Report): string {
  const { nodeRows, chromiumRows, cached, bundles, popup } = r;
  const pairs = nodeRows.map((n) => ({ n, c: chromiumRows.find((c) => c.rtt === n.rtt) }));
  const vs = (s: Stats | undefined, ours: Stats | undefined, rtt: number): string =>
    (s === undefined || ours === undefined ? '—' : `${cell(s, rtt)}; ${ratio(s, ours)} × ours`);
  const tb = r.thunderbird.ok ? r.thunderbird : null;
  const lines = [
    '# Benchmark results',
    '',
    `\`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${r.minutes.toFixed(1)} min): ${RUNS} runs per Node figure and `
      + `per Thunderbird search, ${BROWSER_RUNS} per browser figure, Node ${process.version}. Every client asks unbound on loopback `
      + 'through the same proxy, which adds RTT/2 each way (the MTA-STS policy host sits behind one too), for the same address '
      + '(`alice@example.test`). Figures are medians as multiples of the injected RTT, with the spread (10th–90th percentile).',
    '',
    '## Our CLI core (Node, `node:http2`)',
    '',
    row('RTT', 'one query (warm)', 'discovery warm (≤ 1.2×)', 'discovery cold (≤ 3× + 5 ms)', 'with transport checks, warm (≤ 2.5×)'),
    row('---', '---', '---', '---', '---'),
    ...nodeRows.map((n) => row(`${n.rtt} ms`, cell(n.single, n.rtt), cell(n.warm, n.rtt), cell(n.cold, n.rtt), cell(n.transport, n.rtt))),
    '',
    '## Side by side: the same six SRV queries on a warm connection, same run, same proxy',
    '',
    'Each cell: median × RTT (ms; p10–p90), then how many times our time it is (Node clients against our CLI core, Chromium '
      + 'clients against our core in the same page).',
    '',
    row('RTT', 'ours, CLI core (Node)', 'dohdec 6.0.4 (Node, HTTP/2)', 'naive sequential (Node)', 'ours, core in Chromium',
      'dohjs 0.3.3 (Chromium)', 'naive sequential (Chromium)'),
    row('---', '---', '---', '---', '---', '---', '---'),
    ...pairs.map(({ n, c }) => row(`${n.rtt} ms`, cell(n.warm, n.rtt), vs(n.dohdec, n.warm, n.rtt), vs(n.sequential, n.warm, n.rtt),
      c === undefined ? '—' : cell(c.ours, n.rtt), vs(c?.dohjs, c?.ours, n.rtt), vs(c?.sequential, c?.ours, n.rtt))),
    '',
    ...thunderbirdTable(r),
    '',
    '## The add-on: Autoconfigure click → settings on screen (≤ 1.2 × RTT + 15 ms)',
    '',
    'In Chromium: the popup\'s real lookup (background service worker, the browser\'s own fetch, MTA-STS, TLS-RPT and DANE included, '
      + 'as the add-on ships). *First*: a new popup, every connection closed before it opened, the address typed after '
      + '300 ms + 4 × RTT (the preconnect runs meanwhile). *Warm*: the same popup again, cache emptied. *Cold, no preconnect*: the '
      + 'connections closed after the preconnect, just before typing. The last column comes from the background\'s Resource Timing.',
    '',
    row('RTT', 'first lookup after the popup opened', 'warm', 'cold, no preconnect',
      'where the first lookup\'s time goes (ms after the click)'),
    row('---', '---', '---', '---', '---'),
    ...chromiumRows.map((c) => row(`${c.rtt} ms`, clickCell(c.first.total, c.rtt), clickCell(c.warm.total, c.rtt),
      clickCell(c.cold.total, c.rtt), phases(c.first))),
    '',
    ...thunderbirdAddon(r),
    row('target (docs/performance.md)', 'measured', 'verdict'),
    row('---', '---', '---'),
    ...nodeRows.flatMap((n) => [
      target(`warm ≤ 1.2 × RTT at ${n.rtt} ms`, x(n.warm.median, n.rtt), n.warm.median <= 1.2 * n.rtt),
      target(`cold ≤ 3 × RTT + 5 ms at ${n.rtt} ms (${coldTarget(n.rtt)} ms)`, `${n0(n.cold.median)} ms`,
        n.cold.median <= coldTarget(n.rtt)),
      target(`transport ≤ 2.5 × RTT warm at ${n.rtt} ms`, x(n.transport.median, n.rtt), n.transport.median <= 2.5 * n.rtt),
    ]),
    ...chromiumRows.flatMap((c) => [
      target(`add-on click → settings ≤ 1.2 × RTT + 15 ms at ${c.rtt} ms (${addonTarget(c.rtt)} ms), Chromium, first lookup`,
        `${n0(c.first.total.median)} ms`, c.first.total.median <= addonTarget(c.rtt)),
      target(`add-on click → settings, Chromium, warm, at ${c.rtt} ms`, `${n0(c.warm.total.median)} ms`,
        c.warm.total.median <= addonTarget(c.rtt)),
    ]),
    ...(tb?.addon ?? []).flatMap((a) => [
      target(`add-on click → settings at ${a.rtt} ms (${addonTarget(a.rtt)} ms), Thunderbird, first lookup`, `${n0(a.first.median)} ms`,
        a.first.median <= addonTarget(a.rtt)),
      target(`add-on click → settings, Thunderbird, warm, at ${a.rtt} ms`, `${n0(a.warm.median)} ms`, a.warm.median <= addonTarget(a.rtt)),
    ]),
    target('cached re-discovery: 0 network requests', `${cached.requests} requests, median ${cached.time.median.toFixed(2)} ms`,
      cached.requests === 0),
    ...bundles.map((b) => {
      if (b.limit === null) return row(`${b.name} bundle, no target`, `${kb(b.min)} / ${kb(b.gz)} gz`, '—');
      const limit = `≤ ${kb(b.limit.min)}${Number.isFinite(b.limit.gz) ? ` / ${kb(b.limit.gz)} gz` : ''}`;
      return target(`${b.name} bundle ${limit}`, `${kb(b.min)} / ${kb(b.gz)} gz`, b.min <= b.limit.min && b.gz <= b.limit.gz);
    }),
    ...[popup, ...(tb === null ? [] : [tb.popup])].map((p) => target(`popup shows cached settings ≤ 50 ms after open (${p.where})`,
      `${ms(p.fromOpen)}; of which our script ${p.fromScript.median.toFixed(1)} ms`, p.fromOpen.median <= 50)),
    '',
    'How to read it:',
    '- *Cold* opens a new TCP + TLS 1.3 + HTTP/2 connection: three round trips are the floor (the proxy charges the TCP handshake too).',
    '- *With transport checks*, the MTA-STS and TLS-RPT TXT and the MX queries leave with the SRV queries, TLSA follows the SRV '
      + 'answer, and the policy is fetched over a kept-alive connection to its host (its own TLS handshake excluded): two round trips.',
    '- *Naive sequential* asks the six SRV labels one after another on the same warm connection; dohdec and dohjs ask all six at once, '
      + 'as a user of either would with `Promise.all` (their READMEs show one query; their default method, POST, is kept).',
    '- dns-over-http-resolver 3.0.16 is not among the peers: it resolves only A, AAAA and TXT (`resolve(name, \'SRV\')` throws "SRV is not '
      + 'supported") and only through the JSON API (`?name=…&type=…`), which unbound does not serve.',
    ...notes(r),
    '',
  ];
  return lines.join('\n');
}

/** The add-on's click → settings in Thunderbird, and the verdict rows for both browsers. */
function thunderbirdAddon({ thunderbird }: Report): string[] {
  if (!thunderbird.ok) return [`In Thunderbird: not measured in this run: ${thunderbird.why}`, ''];
  return [
    'In Thunderbird 153 (headless, driven through Marionette): the same popup page opened as a content tab — in headless Thunderbird '
      + '`action.openPopup()` opens the toolbar panel but its browser stays at `about:blank` — with Thunderbird\'s own fetch; the same '
      + '*first* and *warm* runs.',
    '',
    '| RTT | first lookup after the popup opened | warm |',
    '| --- | --- | --- |',
    ...thunderbird.addon.map((a) => row(`${a.rtt} ms`, clickCell(a.first, a.rtt), clickCell(a.warm, a.rtt))),
    '',
  ];
}

/** Thunderbird's own configuration search for the same address, beside ours. */
function thunderbirdTable({ thunderbird, nodeRows, chromiumRows }: Report): string[] {
  const head = [
    '## Thunderbird\'s own account set-up for the same address',
    '',
    'Thunderbird 153\'s configuration search (`FindConfig.parallelAutoDiscovery`, what its Account Hub runs) finds the domain\'s '
      + '`https://autoconfig.example.test/mail/config-v1.1.xml` (the same servers the SRV records publish), served on loopback behind the '
      + 'same kind of proxy with a certificate from the test CA; it also waits for its Exchange Autodiscover attempts (404 here). Timed in '
      + 'Thunderbird through Marionette\'s chrome context, from the call to its first result.',
    '',
  ];
  if (!thunderbird.ok) return [...head, `Not measured in this run: ${thunderbird.why}`];
  return [
    ...head,
    '| RTT | first search (new connection) | warm | warm × our CLI core | warm × the add-on\'s warm click → settings (Chromium) |',
    '| --- | --- | --- | --- | --- |',
    ...thunderbird.rows.map((t) => {
      const n = nodeRows.find((other) => other.rtt === t.rtt);
      const c = chromiumRows.find((other) => other.rtt === t.rtt);
      return row(`${t.rtt} ms`, `${x(t.first, t.rtt)} (${n0(t.first)} ms)`, cell(t.warm, t.rtt),
        n === undefined ? '—' : ratio(t.warm, n.warm), c === undefined ? '—' : ratio(t.warm, c.warm.total));
    }),
  ];
}

/** Where the time goes, for each figure that misses its target. */
function notes({ nodeRows, chromiumRows, popup, cold }: Report): string[] {
  const out: string[] = [];
  const coldMisses = nodeRows.filter((n) => n.cold.median > coldTarget(n.rtt));
  if (coldMisses.length > 0) {
    const where = coldMisses.map((n) => `${n.rtt} ms (${(n.cold.median - 3 * n.rtt).toFixed(0)} ms over three round trips)`).join(', ');
    out.push(`- Cold misses 3 × RTT + 5 ms at ${where}: the rest is a constant, the same at every RTT. With no added delay a cold `
      + `discovery takes ${ms(cold.direct)} straight to unbound — TCP, the TLS 1.3 handshake (ECDSA P-256), HTTP/2 session set-up and `
      + `the six queries, in Node and unbound — and ${ms(cold.proxied)} through the proxy at 0 ms: its own hops (a TLS handshake `
      + 'crosses it six times) cost the difference.');
  }
  const transportMisses = nodeRows.filter((n) => n.transport.median > 2.5 * n.rtt);
  if (transportMisses.length > 0) {
    const over = nodeRows.map((n) => `${n0(n.transport.median - 2 * n.rtt)} ms at ${n.rtt} ms`).join(', ');
    out.push(`- With transport checks misses 2.5 × RTT at ${transportMisses.map((n) => `${n.rtt} ms`).join(', ')}: two round trips are `
      + `the floor (TLSA and the policy follow the first answers), and what is over them is a constant (${over}) — the TXT, MX and TLSA `
      + 'answers\' checks, the policy request and its parse — which only outweighs half a round trip at the smallest RTT.');
  }
  const addonMisses = chromiumRows.filter((c) => c.first.total.median > addonTarget(c.rtt) || c.warm.total.median > addonTarget(c.rtt));
  if (addonMisses.length > 0) {
    const c = addonMisses[addonMisses.length - 1] as ChromiumRow;
    const p = c.warm.phases;
    // What a popup showing the settings at the SRV answer would reach: the same render cost after the SRV answers.
    const render = c.warm.total.median - Math.max(p.dnsAnswered.median, Number.isNaN(p.policyFetched.median) ? 0 : p.policyFetched.median);
    const early = p.srvAnswered.median + render;
    const where = addonMisses.map((m) => `${m.rtt} ms`).join(', ');
    out.push(`- The add-on's click → settings misses 1.2 × RTT + 15 ms at ${where}. At ${c.rtt} ms, `
      + `warm: the background's first request leaves ${p.firstRequest.median.toFixed(0)} ms after the click, the SRV answers are in at `
      + `${p.srvAnswered.median.toFixed(0)} ms (one round trip), but the popup shows settings only with the whole result: the TLSA queries `
      + `follow the SRV answer (all DNS in at ${p.dnsAnswered.median.toFixed(0)} ms) and the MTA-STS policy fetch follows its TXT record `
      + `(${Number.isNaN(p.policyFetched.median) ? 'not fetched' : `${p.policyFetched.median.toFixed(0)} ms`}); on screen at `
      + `${c.warm.total.median.toFixed(0)} ms. On the first lookup the policy host's connection is new as well (TCP + TLS: two more round `
      + 'trips). The preconnect does its part: compare *first* with *cold, no preconnect*. Meeting the target needs the popup to show the '
      + 'settings when the SRV answers are in and fill in MTA-STS, TLS-RPT and DANE after (a second message from the background): '
      + `with this run's figures that would be about ${early.toFixed(0)} ms at ${c.rtt} ms, against ${addonTarget(c.rtt)} ms. `
      + 'The same holds in Thunderbird.');
  }
  if (popup.fromOpen.median > 50) {
    out.push(`- The popup target is missed: of the ${popup.fromOpen.median.toFixed(0)} ms from navigation start to settings on screen, our `
      + `script (storage read + render) takes ${popup.fromScript.median.toFixed(1)} ms; the rest is the browser creating the page and `
      + 'loading its HTML, CSS and script. The popup reads the cached result straight from storage.local and waits on nothing else.');
  }
  return out;
}

export function writeReport(report: string): void {
  writeFileSync('bench/results.md', report);
  const readme = readFileSync('README.md', 'utf8');
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  const body = report.split('\n').slice(2).join('\n').trim().replaceAll(/^## /gm, '#### ');
  if (marked.test(readme)) writeFileSync('README.md', readme.replace(marked, `<!-- bench:start -->\n${body}\n<!-- bench:end -->`));
}
