// Thunderbird's own account set-up for the same address: its configuration search (FindConfig.parallelAutoDiscovery,
// what the Account Hub calls) finds the domain's autoconfig file at https://autoconfig.<domain>/, served on loopback
// behind the same kind of delay proxy, with a certificate from the test CA. Timed through Marionette's chrome context.
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue } from '../test/support/certificates.ts';
import { packageAddon, startThunderbird, type RunningThunderbird } from '../test/support/thunderbird.ts';
import { BROWSER_RUNS, type PopupOpen } from './chromium-figures.ts';
import { startDelayProxy } from './delay-proxy.ts';
import { ADDRESS } from './node-figures.ts';
import type { BenchNetwork } from './setup.ts';
import { clearAddonCache, openPopupPage, useResolver } from './thunderbird-addon.ts';
import { repeat, RUNS, stats, type Stats } from './timing.ts';

const AUTOCONFIG_HOST = '127.0.0.3'; // the real server; 127.0.0.1:443 is the delaying proxy in front of it
const DOMAIN = 'example.test';
/** What the example.test zone publishes in SRV, as Thunderbird's autoconfig format says it. */
const CONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="${DOMAIN}">
    <domain>${DOMAIN}</domain>
    <incomingServer type="imap"><hostname>imap.${DOMAIN}</hostname><port>993</port><socketType>SSL</socketType>
      <authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>
    <outgoingServer type="smtp"><hostname>smtp.${DOMAIN}</hostname><port>465</port><socketType>SSL</socketType>
      <authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>
  </emailProvider>
</clientConfig>
`;

export interface ThunderbirdRow { readonly rtt: number; readonly first: number; readonly warm: Stats; readonly found: string }
/** The add-on in Thunderbird: click → settings on screen, first lookup in a new popup page (preconnect) and warm. */
export interface AddonInThunderbird {
  readonly rtt: number;
  readonly first: Stats;
  readonly warm: Stats;
  /** Click → the verdict on screen (the server probe included: Thunderbird has sockets). */
  readonly firstFinal: Stats;
  readonly warmFinal: Stats;
}
export type ThunderbirdFigures =
  | { ok: true; rows: ThunderbirdRow[]; addon: AddonInThunderbird[]; popup: PopupOpen }
  | { ok: false; why: string };

interface Search { ms: number; found: string; error?: string }

/** Runs after the Chromium figures: the add-on first, then its search takes 127.0.0.1:443 from the MTA-STS policy proxy. */
export async function thunderbirdFigures(net: BenchNetwork, rtts: readonly number[]): Promise<ThunderbirdFigures> {
  const out = mkdtempSync(join(tmpdir(), 'srv-autoconfig-bench-xpi-'));
  try {
    const tb = await startThunderbird({ caFile: net.caFile, xpi: packageAddon(out), dohUrl: net.doh });
    try {
      const { addon, popup } = await addonFigures(tb, net, rtts);
      const rows = await searchFigures(tb, net, rtts);
      return { ok: true, rows, addon, popup };
    } finally {
      await tb.stop();
    }
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function addonFigures(tb: RunningThunderbird, net: BenchNetwork, rtts: readonly number[]) {
  await useResolver(tb, net.doh);
  const addon: AddonInThunderbird[] = [];
  for (const rtt of rtts) {
    net.setRtt(rtt);
    const typingMs = 300 + 4 * rtt;
    const click = async (drop: boolean) => {
      await clearAddonCache(tb);
      if (drop) net.dropConnections();
      return openPopupPage(tb, { address: ADDRESS, typingMs: drop ? typingMs : 0 });
    };
    await click(false); // warm-up
    const warm = await repeat(BROWSER_RUNS, () => click(false));
    const first = await repeat(BROWSER_RUNS, () => click(true));
    const of = (runs: readonly { click: number; final: number }[], pick: 'click' | 'final') => stats(runs.map((r) => r[pick]));
    addon.push({ rtt, first: of(first, 'click'), warm: of(warm, 'click'), firstFinal: of(first, 'final'), warmFinal: of(warm, 'final') });
  }
  net.setRtt(50);
  await openPopupPage(tb, { address: ADDRESS }); // leaves a result for the popup to show
  const opens = await repeat(BROWSER_RUNS * 2, () => openPopupPage(tb, {}));
  const popup: PopupOpen = {
    where: 'Thunderbird, the popup page in a content tab (openTab → shown)',
    fromOpen: stats(opens.map((o) => o.open)),
    fromScript: stats(opens.map((o) => o.script)),
  };
  return { addon, popup };
}

async function searchFigures(tb: RunningThunderbird, net: BenchNetwork, rtts: readonly number[]): Promise<ThunderbirdRow[]> {
  await net.policyProxy.close();
  const requests: string[] = [];
  const { key, cert } = issue(net.stateDir, 'autoconfig', [`autoconfig.${DOMAIN}`, DOMAIN, `autodiscover.${DOMAIN}`]);
  const server = https.createServer({ key, cert }, (req, res) => {
    requests.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (host === `autoconfig.${DOMAIN}` && (req.url ?? '').startsWith('/mail/config-v1.1.xml')) {
      res.writeHead(200, { 'content-type': 'text/xml' }).end(CONFIG);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(443, AUTOCONFIG_HOST, resolve);
  });
  const proxy = await startDelayProxy({ host: AUTOCONFIG_HOST, port: 443 }, { host: '127.0.0.1', port: 443 });
  try {
    // Thunderbird resolves these names to loopback itself (its own DNS, not the add-on's DoH).
    await tb.marionette.executeAsync(`
      Services.prefs.setStringPref('network.dns.localDomains', arguments[0]);
      arguments[1](true);
    `, [[`autoconfig.${DOMAIN}`, DOMAIN, `autodiscover.${DOMAIN}`].join(',')]);
    const search = (): Promise<Search> => tb.marionette.executeAsync<Search>(`
      const [domain, email, done] = arguments;
      const { FindConfig } = ChromeUtils.importESModule('resource:///modules/accountcreation/FindConfig.sys.mjs');
      (async () => {
        const started = performance.now();
        const step = await FindConfig.parallelAutoDiscovery(domain, email, new AbortController().signal, '', '').next();
        const ms = performance.now() - started;
        const c = step.value;
        done({ ms, found: c && c.incoming ? c.incoming.hostname + ':' + c.incoming.port + ' via ' + c.source : String(c) });
      })().catch((e) => done({ ms: NaN, found: '', error: String(e) }));
    `, [DOMAIN, ADDRESS]);
    const checked = async (): Promise<Search> => {
      const s = await search();
      if (s.error !== undefined || !s.found.startsWith(`imap.${DOMAIN}:993`)) {
        throw new Error(`Thunderbird's search: ${s.error ?? s.found} (requests seen: ${requests.slice(0, 6).join(', ')})`);
      }
      return s;
    };
    const rows: ThunderbirdRow[] = [];
    for (const rtt of rtts) {
      net.setRtt(rtt);
      proxy.setDelay(rtt / 2);
      proxy.dropConnections();
      const first = await checked();
      const warm = await repeat(RUNS, async () => (await checked()).ms);
      rows.push({ rtt, first: first.ms, warm: stats(warm), found: first.found });
    }
    return rows;
  } finally {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
