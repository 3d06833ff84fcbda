// RFC 6186 §6: what vouches for a server (docs/trust.md). One answer, asked by the badge and by every
// path that applies settings (create, move, re-look-up), so none can be looser than another.
import type { ServerProbe } from '../probe/judge-probe.ts';

/** What can vouch for a server; 'user' is the user's own confirmation, which never raises the badge. */
export type Voucher = 'in-domain' | 'dnssec' | 'certificate' | 'dane' | 'user';

export interface TrustFacts {
  readonly inDomain: boolean;
  /** The SRV answer that named the server carried AD from the configured resolver. */
  readonly dnssec: boolean;
  /** The server probe's result; absent or null when the server was not probed. */
  readonly probe?: ServerProbe | null;
}

/** The vouchers the DNS facts and the server probe give; the user's confirmation is added by the caller. */
export function verifiedBy(facts: TrustFacts): Voucher[] {
  const vouchers: Voucher[] = [];
  if (facts.inDomain) vouchers.push('in-domain');
  if (facts.dnssec) vouchers.push('dnssec');
  const probe = facts.probe;
  if (probe?.status === 'ok') {
    // RFC 6125 §6.2.1 via RFC 6186 §6: a valid certificate for the email domain itself (DNS-ID or SRV-ID).
    if (probe.certificate?.valid === true && probe.certificate.namesDomain) vouchers.push('certificate');
    // RFC 7673 §3: a DNSSEC-validated TLSA record matched the chain presented.
    if (probe.dane === 'valid') vouchers.push('dane');
  }
  return vouchers;
}

/**
 * The probe reached nothing (connection refused, unknown host): nothing is proven either way, as on a
 * platform without sockets. It vouches for nothing and takes nothing away.
 */
export function probeUnreached(facts: TrustFacts): boolean {
  return facts.probe?.status === 'failed' && facts.probe.reason === 'probe-connect-failed';
}

/** A probe that failed (bad certificate, no STARTTLS, TLSA mismatch, …): never used without the user. */
export function probeFailed(facts: TrustFacts): boolean {
  return facts.probe?.status === 'failed' && !probeUnreached(facts);
}

/** RFC 6186 §6: usable without the user's confirmation. */
export function isVerified(facts: TrustFacts): boolean {
  return !probeFailed(facts) && verifiedBy(facts).length > 0;
}
