// The transport checks of docs/badge.md, started together with the SRV queries (TXT, MX) and finished
// once the chosen targets are known (TLSA follows the SRV answer): two round-trips in all.
import { parseHostname, type Hostname } from '../address/parse-hostname.ts';
import type { DohOptions } from '../dns/doh-client.ts';
import type { Platform } from '../platform.ts';
import { ask, type Answer, type TransportContext } from './context.ts';
import { checkDane, type DaneResult, type DaneTarget } from './dane.ts';
import { checkMtaSts, type MtaStsResult } from './mta-sts.ts';
import { checkTlsRpt, type TlsRptResult } from './tls-rpt.ts';

export interface Transport {
  readonly mtaSts: MtaStsResult;
  readonly tlsRpt: TlsRptResult;
  /** One entry per chosen incoming/outgoing target and per MX host. */
  readonly dane: readonly DaneResult[];
}

export interface TransportChecks {
  /** `targets`: the chosen incoming and outgoing servers (their TLSA is asked once the SRV answer is in). */
  finish(targets: readonly DaneTarget[]): Promise<Transport>;
}

const SMTP_PORT = 25; // RFC 7672 §2.2: TLSA for MX hosts at _25._tcp

/** TLSA for the chosen servers alone, when the probe needs it and the other transport checks were not asked. */
export function checkServerDane(
  domain: Hostname,
  targets: readonly DaneTarget[],
  options: DohOptions,
  platform: Platform,
): Promise<DaneResult[]> {
  const ctx: TransportContext = { domain, options, platform };
  return Promise.all(targets.map((t) => checkDane(ctx, t)));
}

/** `asked`: the first questions, if `askFirst` has asked them already. */
export function startTransportChecks(
  domain: Hostname,
  options: DohOptions,
  platform: Platform,
  asked?: ReadonlyMap<string, Promise<Answer>>,
): TransportChecks {
  const ctx: TransportContext = asked === undefined ? { domain, options, platform } : { domain, options, platform, asked };
  const mx = ask(ctx, domain, 'MX').then((answer) => {
    if (answer.kind !== 'records') return { hosts: [] as string[], ad: answer.kind === 'none' && answer.ad };
    // RFC 7505: a null MX (".") names no host; other exchanges must be host names to be checked.
    // RFC 5321 §5.1: lower preference first, the order a sender tries them.
    const exchanges = answer.records
      .flatMap((r) => (r.data.type === 'MX' ? [r.data] : []))
      .sort((a, b) => a.preference - b.preference || a.exchange.localeCompare(b.exchange));
    const hosts = exchanges.map((mx) => mx.exchange).flatMap((h) => {
      const parsed = parseHostname(h);
      return parsed.ok ? [parsed.hostname] : [];
    });
    return { hosts: [...new Set(hosts)], ad: answer.ad };
  });
  const mtaSts = checkMtaSts(ctx, mx.then((m) => m.hosts));
  const tlsRpt = checkTlsRpt(ctx);
  const mxDane = mx.then((m) => Promise.all(m.hosts.map((host) => checkDane(ctx, { host, port: SMTP_PORT, dnssec: m.ad, source: 'mx' }))));
  return {
    finish: async (targets) => {
      const seen = new Set<string>();
      const unique = targets.filter((t) => !seen.has(`${t.host}:${t.port}`) && seen.add(`${t.host}:${t.port}`));
      const [sts, rpt, servers, mxs] = await Promise.all([mtaSts, tlsRpt, Promise.all(unique.map((t) => checkDane(ctx, t))), mxDane]);
      return { mtaSts: sts, tlsRpt: rpt, dane: [...servers, ...mxs] };
    },
  };
}
