// The CLI's human-readable report of a Discovery (the `--json` form is the object itself).
import type { Discovery, ServerProbe, Setting, Transport } from '../core/index.ts';
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
    const server = `${s.hostname}:${s.port}`.padEnd(32);
    const protocol = s.protocol.toUpperCase().padEnd(5);
    lines.push(`  ${title.padEnd(9)} ${protocol} ${server} ${SECURITY[s.security].padEnd(8)} ${where}, DNSSEC ${s.dnssec ? 'yes' : 'no'}`);
    lines.push(`  ${''.padEnd(9)} usernames: ${s.usernames.join(', ')}`);
    lines.push(`  ${''.padEnd(9)} vouched for by: ${s.verifiedBy.length === 0 ? 'nothing' : s.verifiedBy.join(', ')}`);
    if (s.probe !== null) lines.push(...probeLines(s.probe));
  };
  row('Incoming', d.incoming);
  row('Outgoing', d.outgoing);
  for (const s of d.alternatives)
    lines.push(`  also      ${s.protocol.toUpperCase().padEnd(5)} ${s.hostname}:${s.port} ${SECURITY[s.security]} (${s.service})`);
  if (d.notOffered.length > 0) lines.push(`  Not offered (target "."): ${d.notOffered.join(', ')}`);
  for (const r of d.rejected) {
    lines.push(
      r.count === undefined
        ? `  Ignored ${r.label} ${r.target}:${r.port}: ${describe(r.reason)}`
        : `  Ignored ${r.count} more ${r.label} records: ${describe(r.reason)}`,
    );
  }
  if (d.transport !== null) lines.push(...transportLines(d.transport));
  lines.push(`  Badge: ${d.badge.level}`);
  for (const reason of d.badge.reasons) lines.push(`    - ${describe(reason)}`);
  lines.push(`  ${d.timing.queries} queries in ${d.timing.elapsedMs} ms`);
  return lines.join('\n');
}

const INDENT = ' '.repeat(12);

/** The server probe's facts (RFC 6125 §6, RFC 7673 §3) under the setting they belong to. */
function probeLines(p: ServerProbe): string[] {
  const lines = [`${INDENT}probe: ${p.status}${p.tlsVersion === null ? '' : `, ${p.tlsVersion}`}${why(p)}`];
  const c = p.certificate;
  if (c !== null) {
    const names = [c.namesTarget ? 'names the server' : 'not for the server', ...(c.namesDomain ? ['names the email domain'] : [])];
    lines.push(`${INDENT}certificate: ${c.valid ? 'valid' : 'NOT valid'}, ${names.join(', ')}, until ${c.notAfter}, issuer ${c.issuer}`);
  }
  const starttls = p.starttls === null ? '' : `STARTTLS ${p.starttls}, `;
  lines.push(`${INDENT}${starttls}auth ${p.auth.length === 0 ? 'none advertised' : p.auth.join(' ')}, DANE ${p.dane}`);
  return lines;
}

function transportLines(t: Transport): string[] {
  const sts = t.mtaSts;
  const lines: string[] = [];
  if (sts.status === 'valid') {
    lines.push(`  MTA-STS   mode ${sts.mode}, max_age ${sts.maxAge}, mx ${sts.mx.join(' ')}, id ${sts.id}`);
    if (sts.mxMismatch.length > 0) lines.push(`${INDENT}MX hosts not matching the policy: ${sts.mxMismatch.join(', ')}`);
    // RFC 8461 §3.3: the cached policy stands in for a live check that failed; say which and why.
    if (sts.live !== undefined)
      lines.push(`${INDENT}${describe('mta-sts-cached')}`, `${INDENT}live check: ${state(sts.live)}${why(sts.live)}`);
  } else {
    lines.push(`  MTA-STS   ${state(sts)}${why(sts)}`);
  }
  const rpt = t.tlsRpt;
  lines.push(`  TLS-RPT   ${rpt.status === 'valid' ? `reports to ${rpt.rua.join(', ')}` : `${state(rpt)}${why(rpt)}`}`);
  for (const d of t.dane) {
    const records = d.records === undefined ? '' : ` (${d.records.map((r) => `${r.usage} ${r.selector} ${r.matchingType}`).join('; ')})`;
    const base = d.tlsaBase === undefined ? '' : ` (CNAME → _${d.port}._tcp.${d.tlsaBase})`;
    lines.push(`  DANE      ${d.source.padEnd(8)} _${d.port}._tcp.${d.host}${base}: ${state(d)}${records}${why(d)}`);
  }
  return lines;
}

/** The status in words: 'error' is a check that could not be made, not a fault of the domain. */
function state(r: { readonly status: string }): string {
  return r.status === 'error' ? 'could not be checked' : r.status;
}

/** ": <reason text> [<detail>]", or nothing for a result that carries neither. */
function why(r: object): string {
  const { reason, detail } = r as { readonly reason?: string; readonly detail?: string };
  if (reason === undefined && detail === undefined) return '';
  return `: ${reason === undefined ? '' : describe(reason)}${detail === undefined ? '' : ` [${detail}]`}`;
}
