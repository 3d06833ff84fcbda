// The badge level for the chosen settings and its reasons (docs/badge.md): RFC 6186 §6 trust, RFC 8314 §5.1 TLS,
// the server probe's failures, and the transport checks' findings beside the level.
import type { ServerProbe } from '../probe/judge-probe.ts';
import type { BadgeReason } from '../reasons.ts';
import type { Security } from '../discovery/service-labels.ts';
import type { Transport } from '../transport/index.ts';
import { isVerified, probeFailed } from '../trust/verified-by.ts';

export type BadgeLevel = 'tls' | 'starttls' | 'unverified' | 'none';

export interface Badge {
  readonly level: BadgeLevel;
  readonly reasons: readonly BadgeReason[];
}

/** What the badge needs to know of one chosen setting. */
export interface BadgeInput {
  readonly security: Security;
  readonly inDomain: boolean;
  readonly dnssec: boolean;
  /** The server probe's result (null or absent: not probed). */
  readonly probe?: ServerProbe | null;
}

export function badgeFor(incoming: BadgeInput | null, outgoing: BadgeInput | null, lookupFailed: boolean): Badge {
  if (lookupFailed) return { level: 'none', reasons: ['lookup-failed'] };
  if (incoming === null || outgoing === null) {
    const missing: BadgeReason[] = [];
    if (incoming === null) missing.push('incoming-not-found');
    if (outgoing === null) missing.push('outgoing-not-found');
    return { level: 'none', reasons: missing };
  }
  const sides = [['incoming', incoming], ['outgoing', outgoing]] as const;
  const reasons: BadgeReason[] = [];
  // A failed probe (certificate, STARTTLS missing, plain text on a TLS port, TLSA mismatch) proves the
  // opposite of what the level would claim: the level is none, and the probe's own reason is named.
  for (const [side, setting] of sides) {
    if (probeFailed(setting)) reasons.push(`${side}-probe-failed`, ...(setting.probe?.reason === undefined ? [] : [setting.probe.reason]));
  }
  // RFC 6186 §6: an out-of-domain target counts only when something vouches for it.
  for (const [side, setting] of sides) {
    if (!probeFailed(setting) && !isVerified(setting)) reasons.push(`${side}-outside-domain`);
    if (setting.security === 'starttls') reasons.push(`${side}-starttls`);
  }
  if (incoming.security === 'tls' && outgoing.security === 'tls') reasons.push('all-implicit-tls');
  reasons.push(incoming.dnssec && outgoing.dnssec ? 'dnssec-validated' : 'dnssec-not-validated');
  return { level: levelOf([incoming, outgoing]), reasons };
}

/**
 * The level of servers in use together, weakest first: a failed probe is none, a server nothing vouches for
 * (RFC 6186 §6) unverified, STARTTLS starttls (RFC 8314 §5.1). The badge and an existing account's level both ask it.
 */
export function levelOf(servers: readonly BadgeInput[]): BadgeLevel {
  if (servers.some(probeFailed)) return 'none';
  if (!servers.every(isVerified)) return 'unverified';
  return servers.some((s) => s.security === 'starttls') ? 'starttls' : 'tls';
}

/**
 * The domain's transport protection, beside the level (docs/badge.md): it never raises the level. A check
 * that could not be made (status `error`) is "unchecked", never "broken": that is a fault of the path, not the domain.
 */
export function transportReasons(transport: Transport): BadgeReason[] {
  const reasons: BadgeReason[] = [];
  const sts = transport.mtaSts;
  if (sts.status === 'valid') {
    reasons.push(sts.mode === 'enforce' ? 'mta-sts-enforce' : sts.mode === 'testing' ? 'mta-sts-testing' : 'mta-sts-off');
    if (sts.live !== undefined) reasons.push('mta-sts-cached'); // RFC 8461 §3.3: the cached policy stands in
    if (sts.mxMismatch.length > 0) reasons.push('mta-sts-mx-mismatch');
  } else {
    reasons.push(sts.status === 'absent' ? 'mta-sts-absent' : sts.status === 'error' ? 'mta-sts-unchecked' : 'mta-sts-broken');
  }
  const rpt = { valid: 'tls-rpt-on', absent: 'tls-rpt-absent', invalid: 'tls-rpt-broken', error: 'tls-rpt-unchecked' } as const;
  reasons.push(rpt[transport.tlsRpt.status]);
  const dane = new Set(transport.dane.map((d) => d.status));
  if (dane.has('valid')) reasons.push('dane-on');
  if (dane.has('insecure')) reasons.push('dane-insecure');
  if (dane.has('invalid')) reasons.push('dane-broken');
  if (dane.has('error')) reasons.push('dane-unchecked');
  return reasons;
}
