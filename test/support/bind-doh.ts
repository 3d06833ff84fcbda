// BIND 9 (Debian's bind9) as a DoH server on 127.0.0.1: authoritative-only, or a validating
// resolver forwarding to one. Its `tls` and `http` blocks are BIND 9.18's DoH listener.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issue } from './certificates.ts';
import { requireCommand, startDaemon, waitForDoh } from './daemon.ts';
import { freePort } from './global-resolver.ts';
import { keyFields, type ZoneFile } from './sign-zone.ts';

export interface DnsServer {
  /** https://127.0.0.1:<port>/dns-query */
  readonly dohUrl: string;
  /** Plain DNS (UDP and TCP) on this port, for a resolver to forward to; null when there is none. */
  readonly dnsPort: number | null;
  readonly stop: () => Promise<void>;
}

interface Common {
  /** The test resolver's state folder: its CA (ca.pem, ca.key) signs this server's certificate. */
  readonly stateDir: string;
  /** A fresh folder for this server's files. */
  readonly dir: string;
}

/** `recursion no`: it answers for its zones only, a CNAME out of a zone with the CNAME alone (aa, no ra). */
export async function startBindAuthoritative({ stateDir, dir, zones }: Common & { zones: readonly ZoneFile[] }): Promise<DnsServer> {
  const dnsPort = await freePort();
  const zoneBlocks = zones.map((z) => `zone "${z.origin}" { type primary; file "${z.file}"; };`);
  return startBind({ stateDir, dir, name: 'bind-auth', dnsPort, body: ['recursion no;', 'dnssec-validation no;'], zones: zoneBlocks });
}

/** A validating resolver forwarding every query to `forwardTo` (plain DNS), trusting `anchors` (no root anchor). */
export async function startBindResolver(
  { stateDir, dir, forwardTo, anchors }: Common & { forwardTo: number; anchors: readonly ZoneFile[] },
): Promise<DnsServer> {
  const keys = anchors.flatMap((z) => {
    if (z.dnskey === null) return [];
    const k = keyFields(z.dnskey);
    return [`"${z.origin}." static-key ${k.flags} ${k.protocol} ${k.algorithm} "${k.key}";`];
  });
  return startBind({
    stateDir,
    dir,
    name: 'bind-resolver',
    dnsPort: null,
    body: [
      'recursion yes;',
      'allow-recursion { 127.0.0.1; };',
      'forward only;',
      `forwarders { 127.0.0.1 port ${forwardTo}; };`,
      'dnssec-validation yes;',
      'empty-zones-enable no;',
      'qname-minimization off;',
      // RFC 8467 §4.1: pad responses to 468-octet blocks, as a public DoH resolver would.
      'response-padding { any; } block-size 468;',
    ],
    extra: [`trust-anchors { ${keys.join(' ')} };`],
  });
}

async function startBind({ stateDir, dir, name, dnsPort, body, zones = [], extra = [] }: Common & {
  name: string; dnsPort: number | null; body: readonly string[]; zones?: readonly string[]; extra?: readonly string[];
}): Promise<DnsServer> {
  requireCommand('named', 'bind9');
  mkdirSync(dir, { recursive: true });
  const cert = issue(stateDir, name, ['IP:127.0.0.1', 'localhost']);
  const dohPort = await freePort();
  const conf = join(dir, 'named.conf');
  writeFileSync(conf, [
    'options {',
    `  directory "${dir}";`,
    `  pid-file "${join(dir, 'named.pid')}";`,
    `  session-keyfile "${join(dir, 'session.key')}";`,
    ...(dnsPort === null ? ['  listen-on { none; };'] : [`  listen-on port ${dnsPort} { 127.0.0.1; };`]),
    `  listen-on port ${dohPort} tls local-tls http local-http { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    ...body.map((line) => `  ${line}`),
    '};',
    `tls local-tls { key-file "${join(stateDir, `${name}.key`)}"; cert-file "${cert.certFile}"; };`,
    'http local-http { endpoints { "/dns-query"; }; };',
    'controls { };',
    ...extra,
    ...zones,
    '',
  ].join('\n'));
  // -g: foreground with the log on stderr (kept in named.log), so the test owns the process.
  const daemon = startDaemon('named', ['-g', '-c', conf], join(dir, 'named.log'));
  const dohUrl = `https://127.0.0.1:${dohPort}/dns-query`;
  const probe = zones.length > 0 ? /zone "([^"]+)"/.exec(zones[0]!)?.[1] ?? '.' : '.';
  await waitForDoh(dohUrl, join(stateDir, 'ca.pem'), probe, daemon);
  return { dohUrl, dnsPort, stop: daemon.stop };
}
