// DANE: TLSA records for a chosen server (RFC 7673 for SRV targets, RFC 7672 for MX hosts on 25).
import type { DaneReason } from '../reasons.ts';
import type { Answer, TransportContext } from './context.ts';
import { ask } from './context.ts';

export interface DaneTarget {
  readonly host: string;
  readonly port: number;
  /** The SRV or MX answer that named this host was DNSSEC-validated (RFC 7673 §3, RFC 7672 §2.2.1). */
  readonly dnssec: boolean;
  readonly source: 'incoming' | 'outgoing' | 'mx';
}

export interface TlsaRecord {
  readonly usage: number;
  readonly selector: number;
  readonly matchingType: number;
  readonly data: string;
}

export interface DaneResult {
  readonly host: string;
  readonly port: number;
  readonly source: DaneTarget['source'];
  /** `insecure` = TLSA present but not DNSSEC-validated (it protects nothing). */
  readonly status: 'absent' | 'valid' | 'insecure' | 'invalid' | 'error';
  readonly records?: readonly TlsaRecord[];
  readonly reason?: DaneReason;
  readonly detail?: string;
  /** RFC 7672 §2.2.2: the CNAME-expanded MX host name whose TLSA records these are (absent: `host` itself). */
  readonly tlsaBase?: string;
}

export async function checkDane(ctx: TransportContext, target: DaneTarget): Promise<DaneResult> {
  const base = { host: target.host, port: target.port, source: target.source };
  const tlsaAt = (host: string): Promise<Answer> => ask(ctx, `_${target.port}._tcp.${host}`, 'TLSA');
  if (target.source !== 'mx') return judge(base, target, await tlsaAt(target.host), true);

  // RFC 7672 §2.2.2: TLSA counts only when the MX host's address records are DNSSEC-secure (asked
  // alongside the TLSA of the host name itself, so no round trip is added unless a CNAME is expanded).
  const [a, aaaa, original] = await Promise.all([ask(ctx, target.host, 'A'), ask(ctx, target.host, 'AAAA'), tlsaAt(target.host)]);
  const failed = [a, aaaa].find((answer) => answer.kind === 'error');
  if (failed?.kind === 'error') return { ...base, status: 'error', reason: 'dane-lookup-failed', detail: failed.detail };
  const addressSecure = a.kind !== 'error' && a.ad && aaaa.kind !== 'error' && aaaa.ad;
  // RFC 7672 §2.2.2: a secure CNAME chain is expanded; its target is the TLSA base domain first,
  // and the original MX host name only when the target has no TLSA records.
  const found = [a, aaaa].flatMap((answer) => (answer.kind === 'records' ? answer.records.map((r) => r.name) : []));
  const expanded = found[0] ?? target.host;
  if (addressSecure && expanded !== target.host) {
    const atTarget = await tlsaAt(expanded);
    if (atTarget.kind !== 'none') return { ...judge(base, target, atTarget, addressSecure), tlsaBase: expanded };
  }
  return judge(base, target, original, addressSecure);
}

/** The TLSA answer for one base domain, given whether the names leading to it were DNSSEC-secure. */
function judge(base: Pick<DaneResult, 'host' | 'port' | 'source'>, target: DaneTarget, answer: Answer, addressSecure: boolean): DaneResult {
  if (answer.kind === 'error') return { ...base, status: 'error', reason: 'dane-lookup-failed', detail: answer.detail };
  if (answer.kind === 'none') return { ...base, status: 'absent' };
  const records = answer.records.flatMap((r) => (r.data.type === 'TLSA'
    ? [{ usage: r.data.usage, selector: r.data.selector, matchingType: r.data.matchingType, data: hex(r.data.data) }]
    : []));
  // RFC 7672 §3.1.3: for SMTP only DANE-TA(2) and DANE-EE(3) are usable; RFC 6698 §2.1 ranges otherwise.
  const usages = target.source === 'mx' ? [2, 3] : [0, 1, 2, 3];
  const usable = records.filter((r) => usages.includes(r.usage) && r.selector <= 1 && r.matchingType <= 2);
  if (usable.length === 0) return { ...base, status: 'invalid', records, reason: 'dane-unusable' };
  // RFC 7673 §3 / RFC 7671 §4: only a validated chain (SRV or MX, then TLSA) makes DANE count.
  if (!answer.ad || !target.dnssec) return { ...base, status: 'insecure', records };
  return addressSecure ? { ...base, status: 'valid', records } : { ...base, status: 'insecure', records, reason: 'dane-address-insecure' };
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
