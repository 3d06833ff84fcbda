// Picks the incoming protocol (RFC 6186 §3.4) and orders candidates (RFC 8314 §5.1, RFC 2782).
import { orderSrvRecords } from './order-srv-records.ts';
import type { Candidate } from './read-srv-answer.ts';
import type { Protocol } from './service-labels.ts';

/** RFC 6186 §3.4: the protocol whose records carry the lower priority value wins; a tie goes to IMAP. */
export function chooseProtocol(candidates: readonly Candidate[]): 'imap' | 'pop3' | null {
  const best = (protocol: Protocol): number =>
    Math.min(...candidates.filter((c) => c.service.protocol === protocol).map((c) => c.priority));
  const imap = best('imap');
  const pop3 = best('pop3');
  if (imap === Infinity && pop3 === Infinity) return null;
  return imap <= pop3 ? 'imap' : 'pop3';
}

/**
 * The order in which one protocol's candidates are tried: RFC 8314 §5.1 implicit TLS before
 * STARTTLS whatever the priorities, then RFC 2782 priority and weighted random within each.
 */
export function orderCandidates(candidates: readonly Candidate[], random: () => number): Candidate[] {
  const tls = candidates.filter((c) => c.service.security === 'tls');
  const starttls = candidates.filter((c) => c.service.security === 'starttls');
  return [...orderSrvRecords(tls, random), ...orderSrvRecords(starttls, random)];
}
