// The CLI's human-readable report of a Discovery (the `--json` form is the object itself).
import type { Discovery, Setting, Transport } from '../core/index.ts';
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
  for (const r of d.rejected) {
    lines.push(r.count === undefined ? `  Ignored ${r.label} ${r.target}:${r.port}: ${describe(r.reason)}` : `  Ignored ${r.count} more ${r.label} records: ${describe(r.reason)}`);
  }
  if (d.transport !== null) lines.push(...transportLines(d.transport));
  lines.push(`  Badge: ${d.badge.level}`);
  for (const reason of d.badge.reasons) lines.push(`    - ${describe(reason)}`);
  lines.push(`  ${d.timing.queries} queries in ${d.timing.elapsedMs} ms`);
  return lines.join('\n');
}

function transportLines(t: Transport): string[] {
  const why = (r: { reason?: string; detail?: string }): string => `${r.reason === undefined ? '' : describe(r.reason)}${r.detail === undefined ? '' : ` [${r.detail}]`}`;
  const sts = t.mtaSts;
  const lines = [
    `  MTA-STS   ${sts.status === 'valid' ? `mode ${sts.mode}, max_age ${sts.maxAge}, mx ${sts.mx.join(' ')}, id ${sts.id}` : sts.status}${sts.status === 'invalid' || sts.status === 'error' ? `: ${why(sts)}` : ''}`,
  ];
  if (sts.status === 'valid' && sts.mxMismatch.length > 0) lines.push(`            MX hosts not matching the policy: ${sts.mxMismatch.join(', ')}`);
  const rpt = t.tlsRpt;
  lines.push(`  TLS-RPT   ${rpt.status === 'valid' ? `reports to ${rpt.rua.join(', ')}` : rpt.status}${rpt.status === 'invalid' || rpt.status === 'error' ? `: ${why(rpt)}` : ''}`);
  for (const d of t.dane) {
    const records = d.records === undefined ? '' : ` (${d.records.map((r) => `${r.usage} ${r.selector} ${r.matchingType}`).join('; ')})`;
    lines.push(`  DANE      ${d.source.padEnd(8)} _${d.port}._tcp.${d.host}: ${d.status}${records}${d.reason === undefined ? '' : `: ${why(d)}`}`);
  }
  return lines;
}
