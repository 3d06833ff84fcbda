// Turns one label's SRV answer into candidates (RFC 2782, RFC 6186 §3.4 "." = not offered).
import { parseHostname, type Hostname } from '../address/parse-hostname.ts';
import type { ResourceRecord } from '../dns/wire.ts';
import type { RejectReason } from '../reasons.ts';
import { isInDomain } from './is-in-domain.ts';
import type { ServiceLabel } from './service-labels.ts';

export interface Candidate {
  readonly service: ServiceLabel;
  readonly hostname: Hostname;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
  readonly ttl: number;
  /** The SRV answer carried AD (RFC 4035 §3.2.3). */
  readonly dnssec: boolean;
  readonly inDomain: boolean;
}

/** A record we refused to use, kept so the user sees why (never silently dropped). */
export interface RejectedRecord {
  readonly label: string;
  readonly target: string;
  readonly port: number;
  readonly reason: RejectReason;
  /** For 'records-over-limit': how many records of the label were set aside (target and port are empty). */
  readonly count?: number;
}

/**
 * Records read per label: no real domain needs more, and a 64 KiB answer holds thousands, each of
 * which would be kept, cached and shown. The lowest priority values are kept (RFC 2782 tries them first).
 */
export const MAX_SRV_RECORDS_PER_LABEL = 16;

export type SrvAnswer =
  | { kind: 'candidates'; candidates: readonly Candidate[]; rejected: readonly RejectedRecord[] }
  | { kind: 'not-offered' };

export function readSrvAnswer(
  service: ServiceLabel,
  records: readonly ResourceRecord[],
  ad: boolean,
  domain: Hostname,
): SrvAnswer {
  const srv = records.flatMap((r) => (r.data.type === 'SRV' ? [{ ...r.data, ttl: r.ttl }] : []));
  // RFC 2782 / RFC 6186 §3.4: only a sole record with target "." says the service is not offered.
  const [first] = srv;
  if (srv.length === 1 && first?.target === '.') return { kind: 'not-offered' };
  const candidates: Candidate[] = [];
  const rejected: RejectedRecord[] = [];
  // A "." among real targets carries no meaning: skip it.
  const real = srv.filter((r) => r.target !== '.').sort((a, b) => a.priority - b.priority);
  const over = real.length - MAX_SRV_RECORDS_PER_LABEL;
  if (over > 0) rejected.push({ label: service.label, target: '', port: 0, reason: 'records-over-limit', count: over });
  for (const record of real.slice(0, MAX_SRV_RECORDS_PER_LABEL)) {
    const host = parseHostname(record.target);
    if (!host.ok) {
      rejected.push({ label: service.label, target: record.target, port: record.port, reason: 'target-invalid' });
    } else if (record.port === 0) {
      rejected.push({ label: service.label, target: record.target, port: record.port, reason: 'port-zero' });
    } else {
      candidates.push({
        service,
        hostname: host.hostname,
        port: record.port,
        priority: record.priority,
        weight: record.weight,
        ttl: record.ttl,
        dnssec: ad,
        inDomain: isInDomain(host.hostname, domain),
      });
    }
  }
  return { kind: 'candidates', candidates, rejected };
}
