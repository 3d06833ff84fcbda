// Writes the bench's report: bench/results.md, and the README between <!-- bench:start --> and <!-- bench:end -->.
import { readFileSync, writeFileSync } from 'node:fs';
import type { BundleSize } from './bundle-sizes.ts';
import type { ChromiumRow, ClickFigures, PopupOpen } from './chromium-figures.ts';
import { BROWSER_RUNS } from './chromium-figures.ts';
import type { ColdBreakdown, NodeRow } from './node-figures.ts';
import type { ProbeRow } from './probe.ts';
import { PORTS } from '../test/support/probe-servers.ts';
import type { ThunderbirdFigures } from './thunderbird-figures.ts';
import { RUNS, type Stats } from './timing.ts';
import { wrapProse } from './wrap-prose.ts';

export interface Report {
  readonly nodeRows: readonly NodeRow[];
  readonly chromiumRows: readonly ChromiumRow[];
  readonly probe: readonly ProbeRow[];
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
/** Against a limit: two decimals where one would read as the limit itself (25,956 bytes is not "26.0 KB" of 26.0). */
export const kbAgainst = (bytes: number, limit: number): string =>
  kb(bytes) === kb(limit) && bytes !== limit ? `${(bytes / 1000).toFixed(2)} KB` : kb(bytes);
const row = (...cells: string[]): string => `| ${cells.join(' | ')} |`;
const target = (what: string, measured: string, ok: boolean): string => row(what, measured, verdict(ok));
const addonTarget = (rtt: number): number => 1.2 * rtt + 15;
const coldTarget = (rtt: number): number => 3 * rtt + 5;

/** A click → settings figure: ms and multiples of RTT with the spread. */
const clickCell = (s: Stats, rtt: number): string => `${n0(s.median)} ms = ${x(s.median, rtt)} (p10–p90 ${n0(s.p10)}–${n0(s.p90)} ms)`;
const at = (s: Stats): string => (Number.isNaN(s.median) ? '—' : n0(s.median));
const phases = (f: ClickFigures): string => {
  const p = f.phases;
  return `popup asks ${at(f.asked)}, first request ${at(p.firstRequest)}, SRV answered ${at(p.srvAnswered)}, settings in the popup `
    + `${at(f.answered)}, in page ${at(f.inserted)}, on screen ${at(f.total)}; all DNS ${at(p.dnsAnswered)}, `
    + `policy ${at(p.policyFetched)}, `
    + `verdict on screen ${at(f.final)}`;
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
    row('RTT', 'one query (warm)', 'discovery warm (≤ 1.2×)', 'discovery cold (≤ 3× + 5 ms)', 'with transport checks, warm (≤ 2.5×)',
      'cold: where the time goes (ms after the start; +ms over its round trips)'),
    row('---', '---', '---', '---', '---', '---'),
    ...nodeRows.map((n) => row(`${n.rtt} ms`, cell(n.single, n.rtt), cell(n.warm, n.rtt), cell(n.cold, n.rtt), cell(n.transport, n.rtt),
      coldSteps(n))),
    '',
    ...probeTable(r),
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
      + 'as the add-on ships). The popup shows the settings when the SRV answers are in and the verdict when the rest is checked '
      + '(docs/performance.md#two-phases): click → settings is the target\'s figure, *verdict* the time to the whole result. '
      + '*First*: a new popup, every connection closed before it opened, the address typed after '
      + '300 ms + 4 × RTT (the preconnect runs meanwhile). *Warm*: the same popup again, cache emptied. *Cold, no preconnect*: the '
      + 'connections closed after the preconnect, just before typing. The last column: the popup\'s User Timing marks and the '
      + 'background\'s Resource Timing, medians of the first lookups.',
    '',
    row('RTT', 'first lookup after the popup opened', 'warm', 'cold, no preconnect', 'verdict: first / warm',
      'where the first lookup\'s time goes (ms after the click)'),
    row('---', '---', '---', '---', '---', '---'),
    ...chromiumRows.map((c) => row(`${c.rtt} ms`, clickCell(c.first.total, c.rtt), clickCell(c.warm.total, c.rtt),
      clickCell(c.cold.total, c.rtt), `${at(c.first.final)} / ${at(c.warm.final)} ms`, phases(c.first))),
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
    ...r.probe.map((p) => target(`with the server probe ≤ 4 × RTT warm at ${p.rtt} ms`, x(p.probed.median, p.rtt),
      p.probed.median <= 4 * p.rtt)),
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
      const measured = `${kbAgainst(b.min, b.limit.min)} / ${kbAgainst(b.gz, b.limit.gz)} gz`;
      return target(`${b.name} bundle ${limit}`, measured, b.min <= b.limit.min && b.gz <= b.limit.gz);
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
  return wrapProse(lines.join('\n'));
}

/** One step of a run at `ms` after its start, with what it is over `trips` round trips. */
const step = (name: string, s: Stats, rtt: number, trips: number): string =>
  `${name} ${at(s)} (+${(s.median - trips * rtt).toFixed(1)})`;

/**
 * A cold discovery: TCP and TLS 1.3 (2 round trips: the proxy charges TCP's on the first chunk, as the kernel accepts at
 * once), the answers (3), the result.
 */
const coldSteps = (n: NodeRow): string => [
  step('TCP + TLS', n.coldSteps.tls, n.rtt, 2), step('answers', n.coldSteps.answered, n.rtt, 3), step('result', n.cold, n.rtt, 3),
].join(', ');

/** The server probe's figure and where its round trips go. */
function probeTable({ probe }: Report): string[] {
  if (probe.length === 0) return [];
  const server = (p: ProbeRow, port: number, name: string, reply: string): string => {
    const s = p.servers[port];
    if (s === undefined) return `${name}: —`;
    const lines = s.lines.length === 0 ? [] : [step('greeting', s.lines[0]!, p.rtt, 5)];
    if (s.lines.length > 1) lines.push(step(reply, s.lines[s.lines.length - 1]!, p.rtt, 6));
    return `${name}: ${[step('address', s.address, p.rtt, 2), step('TCP + TLS', s.tls, p.rtt, 4), ...lines].join(', ')}`;
  };
  return [
    '',
    '## With the server probe (CLI core, warm, ≤ 4 × RTT)',
    '',
    'Discovery of `alice@good.probe.test` with transport checks, both chosen servers probed (dovecot IMAPS, whose greeting carries '
      + 'CAPABILITY, and postfix for submissions), the resolver and both mail servers behind delay proxies at the same RTT. The last '
      + 'column: ms after the start, each step with how far it is over its round-trip count (SRV 1, the target\'s address 2, TCP 3 '
      + 'and TLS 1.3 4 — one step here: the kernel accepts TCP at once and the proxy charges its round trip on the first chunk — '
      + 'greeting 5, EHLO reply 6), medians.',
    '',
    row('RTT', 'transport checks, no probe', 'with the server probe',
      'where a probed discovery\'s time goes (ms after the start; +ms over its round trips)'),
    row('---', '---', '---', '---'),
    ...probe.map((p) => row(`${p.rtt} ms`, cell(p.without, p.rtt), cell(p.probed, p.rtt), [
      step('SRV', p.srv, p.rtt, 1), step('TLSA', p.tlsa, p.rtt, 2),
      server(p, PORTS.imaps, 'IMAPS', 'CAPABILITY'), server(p, PORTS.submissions, 'submissions', 'EHLO reply'),
      step('result', p.probed, p.rtt, 6),
    ].join('; '))),
  ];
}

/** The add-on's click → settings in Thunderbird, and the verdict rows for both browsers. */
function thunderbirdAddon({ thunderbird }: Report): string[] {
  if (!thunderbird.ok) return [`In Thunderbird: not measured in this run: ${thunderbird.why}`, ''];
  return [
    'In Thunderbird 153 (headless, driven through Marionette): the same popup page opened as a content tab — in headless Thunderbird '
      + '`action.openPopup()` opens the toolbar panel but its browser stays at `about:blank` — with Thunderbird\'s own fetch; the same '
      + '*first* and *warm* runs.',
    '',
    '| RTT | first lookup after the popup opened | warm | verdict: first / warm |',
    '| --- | --- | --- | --- |',
    ...thunderbird.addon.map((a) => row(`${a.rtt} ms`, clickCell(a.first, a.rtt), clickCell(a.warm, a.rtt),
      `${at(a.firstFinal)} / ${at(a.warmFinal)} ms`)),
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
function notes(r: Report): string[] {
  const { nodeRows, chromiumRows, popup, cold } = r;
  const out: string[] = [];
  const coldMisses = nodeRows.filter((n) => n.cold.median > coldTarget(n.rtt));
  if (coldMisses.length > 0) {
    const where = coldMisses.map((n) => `${n.rtt} ms (${(n.cold.median - 3 * n.rtt).toFixed(0)} ms over three round trips)`).join(', ');
    const c = coldMisses[0]!.coldSteps;
    const rtt = coldMisses[0]!.rtt;
    const over = (s: Stats, trips: number): string => (s.median - trips * rtt).toFixed(1);
    out.push(`- Cold misses 3 × RTT + 5 ms at ${where}: the rest is a constant, the same at every RTT. At ${rtt} ms the TCP and TLS `
      + `handshakes end ${over(c.tls, 2)} ms over their two round trips (the ECDSA P-256 handshake and certificate check in Node and `
      + `unbound, and the handshake's chunks crossing the proxy), the answers are in ${over(c.answered, 3)} ms over three, and the `
      + `result ${over(coldMisses[0]!.cold, 3)} ms over (parsing the six answers and choosing). Nothing of ours runs before the `
      + 'handshake: the CA store is built once per process, before the clock starts. With no added delay a cold '
      + `discovery takes ${ms(cold.direct)} straight to unbound — TCP, the TLS 1.3 handshake (ECDSA P-256), HTTP/2 session set-up and `
      + `the six queries, in Node and unbound — and ${ms(cold.proxied)} through the proxy at 0 ms: its own hops (a TLS handshake `
      + 'crosses it six times) cost the difference. The table\'s last column says at which step the constant is added.');
  }
  const transportMisses = nodeRows.filter((n) => n.transport.median > 2.5 * n.rtt);
  if (transportMisses.length > 0) {
    const over = nodeRows.map((n) => `${n0(n.transport.median - 2 * n.rtt)} ms at ${n.rtt} ms`).join(', ');
    out.push(`- With transport checks misses 2.5 × RTT at ${transportMisses.map((n) => `${n.rtt} ms`).join(', ')}: two round trips are `
      + `the floor (TLSA and the policy follow the first answers), and what is over them is a constant (${over}) — the TXT, MX and TLSA `
      + 'answers\' checks, the policy request and its parse — which only outweighs half a round trip at the smallest RTT.');
  }
  const addonMisses = chromiumRows.filter((c) => c.first.total.median > addonTarget(c.rtt) || c.warm.total.median > addonTarget(c.rtt));
  for (const c of chromiumRows) {
    const f = c.first;
    const p = f.phases;
    const missed = addonMisses.includes(c);
    const wire = (p.srvAnswered.median - p.firstRequest.median - c.rtt).toFixed(0);
    out.push(`- The add-on's click → settings ${missed ? '**misses**' : 'meets'} 1.2 × RTT + 15 ms (${addonTarget(c.rtt)} ms) `
      + `at ${c.rtt} ms (first ${n0(f.total.median)} ms, warm ${n0(c.warm.total.median)} ms). First lookup, ms after the click: `
      + 'the popup asks the background '
      + `at ${at(f.asked)}, the first DoH request leaves at ${at(p.firstRequest)} (the message, the options read and the cache read), `
      + `the SRV answers are in at ${at(p.srvAnswered)} (one round trip and ${wire} ms: `
      + 'Chromium starts the six requests about half a millisecond apart and their answers come back as spread out — its page-side '
      + 'client above is over Node\'s by as much), the settings reach the popup at '
      + `${at(f.answered)} (${(f.answered.median - p.srvAnswered.median).toFixed(0)} ms: reading and checking the answers, the choice, `
      + 'the message back), and '
      + `are on screen at ${at(f.total)} (${(f.total.median - f.answered.median).toFixed(0)} ms: render and the next frame). The verdict `
      + `(TLSA, MTA-STS policy${Number.isNaN(p.policyFetched.median) ? '' : ` at ${at(p.policyFetched)}`}) follows at ${at(f.final)}.`);
  }
  const probeMisses = r.probe.filter((p) => p.probed.median > 4 * p.rtt);
  if (probeMisses.length > 0) {
    out.push(`- With the server probe misses 4 × RTT at ${probeMisses.map((p) => `${p.rtt} ms`).join(', ')}, and cannot meet it: the probe `
      + 'starts when the SRV answer names the servers (1 round trip), then needs the target\'s address (1: DoH A, through the same '
      + 'resolver), TCP (1), TLS 1.3 (1), the greeting, which the server sends once its side of the handshake is done (1; nothing may '
      + 'be sent before it: RFC 5321 §3.1, RFC 9051 §7.1), and for submissions EHLO (1: the mechanisms are only in its reply, RFC 4954 '
      + '§3; RFC 2920 never lets EHLO be pipelined). That is 6 round trips for submissions and 5 for IMAPS (dovecot\'s greeting carries '
      + 'CAPABILITY, so no CAPABILITY command is sent). The probe starts as soon as the SRV answers are in: it waits for neither the '
      + 'transport checks nor TLSA (TLSA is answered beside the address lookup), and the mail servers sit behind the same RTT. What is '
      + 'over the round trips in the table above is per-step processing (TLS, certificate checks, the delay proxy\'s own hops).');
  }
  if (popup.fromOpen.median > 50) {
    out.push(`- The popup target is missed: of the ${popup.fromOpen.median.toFixed(0)} ms from navigation start to settings on screen, our `
      + `script (storage read + render) takes ${popup.fromScript.median.toFixed(1)} ms; the rest is the browser creating the page and `
      + 'loading its HTML, CSS and script (an empty extension page with one script already takes most of it). The popup reads the '
      + 'cached result straight from storage.local, before it sends any message (a message sent first delays the read), and waits on '
      + 'nothing else.');
  }
  for (const b of r.bundles) {
    if (b.limit === null || (b.min <= b.limit.min && b.gz <= b.limit.gz)) continue;
    const where = b.parts.slice(0, 8).map((p) => `${p.source} ${kb(p.bytes)}`).join(', ');
    const missed = [
      ...(b.min > b.limit.min ? [`${kb(b.min)} minified against ${kb(b.limit.min)}`] : []),
      ...(b.gz > b.limit.gz ? [`${kb(b.gz)} gzipped against ${kb(b.limit.gz)}`] : []),
    ];
    out.push(
      `- The ${b.name} bundle misses its budget: ${missed.join(', and ')}. Its ${kb(b.min)} are ${where} (minified bytes by source).`,
    );
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
