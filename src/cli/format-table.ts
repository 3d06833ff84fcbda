// The CLI's human-readable report of a Discovery (the `--json` form is the object itself).
import type { Discovery, Setting } from '../core/index.ts';
import { describe } from './messages.ts';

const SECURITY = { tls: 'SSL/TLS', starttls: 'STARTTLS' } as const;

export function formatTable(d: Discovery): string {
  const lines = [`${d.address}  (domain ${d.domain}, DNSSEC ${d.dnssec ? 'validated' : 'not validated'})`];
  const row = (title: string, s: Setting | null): void => {
    if (s === null) {
      lines.push(`  ${title.padEnd(9)} none published`);
      return;
    }
    const where = s.inDomain ? 'in domain' : 'OUTSIDE the domain';
    lines.push(`  ${title.padEnd(9)} ${s.protocol.toUpperCase().padEnd(5)} ${`${s.hostname}:${s.port}`.padEnd(32)} ${SECURITY[s.security].padEnd(8)} ${where}, DNSSEC ${s.dnssec ? 'yes' : 'no'}`);
    lines.push(`  ${''.padEnd(9)} usernames: ${s.usernames.join(', ')}`);
  };
  row('Incoming', d.incoming);
  row('Outgoing', d.outgoing);
  for (const s of d.alternatives) lines.push(`  also      ${s.protocol.toUpperCase().padEnd(5)} ${s.hostname}:${s.port} ${SECURITY[s.security]} (${s.service})`);
  if (d.notOffered.length > 0) lines.push(`  Not offered (target "."): ${d.notOffered.join(', ')}`);
  for (const r of d.rejected) lines.push(`  Ignored ${r.label} ${r.target}:${r.port}: ${describe(r.reason)}`);
  lines.push(`  Badge: ${d.badge.level}`);
  for (const reason of d.badge.reasons) lines.push(`    - ${describe(reason)}`);
  lines.push(`  ${d.timing.queries} queries in ${d.timing.elapsedMs} ms`);
  return lines.join('\n');
}
