// DANE: TLSA records for a chosen server (RFC 7673 for SRV targets, RFC 7672 for MX hosts on 25).
import type { DaneReason } from '../reasons.ts';
import type { TransportContext } from './context.ts';
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
}

export async function checkDane(ctx: TransportContext, target: DaneTarget): Promise<DaneResult> {
  const base = { host: target.host, port: target.port, source: target.source };
  const answer = await ask(ctx, `_${target.port}._tcp.${target.host}`, 'TLSA');
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
  return { ...base, status: answer.ad && target.dnssec ? 'valid' : 'insecure', records };
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
