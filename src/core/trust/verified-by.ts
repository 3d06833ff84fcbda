// RFC 6186 §6: what vouches for a server (docs/trust.md). One answer, asked by the badge and by every
// path that applies settings (create, move, re-look-up), so none can be looser than another.

/** What can vouch for a server; 'user' is the user's own confirmation, which never raises the badge. */
export type Voucher = 'in-domain' | 'dnssec' | 'certificate' | 'dane' | 'user';

export interface TrustFacts {
  readonly inDomain: boolean;
  /** The SRV answer that named the server carried AD from the configured resolver. */
  readonly dnssec: boolean;
}

/** The vouchers the DNS facts give (the server probe adds 'certificate' and 'dane'). */
export function verifiedBy(facts: TrustFacts): Voucher[] {
  const vouchers: Voucher[] = [];
  if (facts.inDomain) vouchers.push('in-domain');
  if (facts.dnssec) vouchers.push('dnssec');
  return vouchers;
}

/** RFC 6186 §6: usable without the user's confirmation. */
export function isVerified(facts: TrustFacts): boolean {
  return verifiedBy(facts).length > 0;
}
