// Knot Resolver 5 (Debian's knot-resolver) as a validating DoH resolver (`doh2`) on 127.0.0.1,
// forwarding to a test DNS server and trusting only the given zone keys.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DnsServer } from './bind-doh.ts';
import { issue } from './certificates.ts';
import { requireCommand, startDaemon, waitForDoh } from './daemon.ts';
import { freePort } from './global-resolver.ts';
import type { ZoneFile } from './sign-zone.ts';

export async function startKnotResolver({ stateDir, dir, forwardTo, anchors }: {
  stateDir: string; dir: string; forwardTo: number; anchors: readonly ZoneFile[];
}): Promise<DnsServer> {
  requireCommand('kresd', 'knot-resolver');
  mkdirSync(join(dir, 'run'), { recursive: true });
  const cert = issue(stateDir, 'knot-resolver', ['IP:127.0.0.1', 'localhost']);
  const port = await freePort();
  const conf = join(dir, 'kresd.conf');
  const lua = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  writeFileSync(conf, [
    `net.listen('127.0.0.1', ${port}, { kind = 'doh2' })`,
    `net.tls(${lua(cert.certFile)}, ${lua(join(stateDir, 'knot-resolver.key'))})`,
    'cache.size = 10 * MB',
    // No root anchor and no outside queries: only the test zones' keys, no priming, no clock probes.
    "trust_anchors.remove('.')",
    ...anchors.flatMap((z) => (z.dnskey === null ? [] : [`trust_anchors.add(${lua(z.dnskey)})`])),
    "modules.unload('priming')",
    "modules.unload('detect_time_skew')",
    "modules.unload('ta_signal_query')",
    `policy.add(policy.all(policy.FORWARD({'127.0.0.1@${forwardTo}'})))`,
    '',
  ].join('\n'));
  // -n: no interactive console; the last argument is its working folder (cache, control socket).
  const daemon = startDaemon('kresd', ['-n', '-c', conf, join(dir, 'run')], join(dir, 'kresd.log'));
  const dohUrl = `https://127.0.0.1:${port}/dns-query`;
  await waitForDoh(dohUrl, join(stateDir, 'ca.pem'), anchors[0]?.origin ?? '.', daemon);
  return { dohUrl, dnsPort: null, stop: daemon.stop };
}
