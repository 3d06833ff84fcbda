// How an existing account compares with what its domain publishes (RFC 8314 §5.1, RFC 6186 §3, §6).
// Only published servers that something vouches for count as "better": an unverified answer is
// never an improvement (docs/trust.md).
import { parseHostname } from '../address/parse-hostname.ts';
import { levelOf, type BadgeInput, type BadgeLevel } from '../verdict/badge.ts';
import type { Discovery, Setting } from '../verdict/verdict.ts';
import { isInDomain } from '../discovery/is-in-domain.ts';
import type { WeaknessReason } from '../reasons.ts';
import { isVerified } from '../trust/verified-by.ts';
import { publishedSettings } from './match-shown.ts';

export interface ExistingServer {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number;
  readonly security: 'tls' | 'starttls' | 'plain';
}

const normalHost = (hostname: string): string => hostname.toLowerCase().replace(/\.$/, '');
// RFC 8314 §5.1: implicit TLS over STARTTLS over plain text; a move never goes down this order.
const STRENGTH = { tls: 2, starttls: 1, plain: 0 } as const;
const sameProtocol = (discovery: Discovery, server: ExistingServer): Setting[] =>
  publishedSettings(discovery).filter((s) => s.protocol === server.protocol);
const candidates = (discovery: Discovery, server: ExistingServer): Setting[] =>
  sameProtocol(discovery, server).filter((s) => STRENGTH[s.security] >= STRENGTH[server.security]);
const publishes = (s: Setting, server: ExistingServer): boolean =>
  s.hostname === normalHost(server.hostname) && s.port === server.port && s.security === server.security;

/** The weaknesses of one configured server against the domain's verified SRV records. */
export function assessServer(server: ExistingServer, discovery: Discovery): WeaknessReason[] {
  const weaknesses: WeaknessReason[] = server.security === 'plain' ? ['weak-plaintext'] : [];
  const verified = sameProtocol(discovery, server).filter(isVerified);
  if (verified.length === 0) return weaknesses;
  // RFC 8314 §5.1: STARTTLS while the domain offers implicit TLS for the same protocol.
  if (server.security === 'starttls' && verified.some((s) => s.security === 'tls')) weaknesses.push('weak-starttls-while-tls-offered');
  if (!verified.some((s) => s.hostname === normalHost(server.hostname))) weaknesses.push('weak-host-not-in-srv');
  return weaknesses;
}

export interface UpdateProposal {
  readonly incoming: Setting | null;
  readonly outgoing: Setting | null;
  /** Every proposed server is vouched for; otherwise only the user's explicit trust may apply it. */
  readonly verified: boolean;
}

/**
 * The published settings an account could move to: same protocol only (RFC 6186 §4: never
 * IMAP<->POP3 without the user). A weaker account is offered the best verified server; when only
 * unverified servers differ from the account, they are offered as such, never as an improvement.
 */
export function proposeUpdate(incoming: ExistingServer, outgoing: ExistingServer | null, discovery: Discovery): UpdateProposal | null {
  if (discovery.status !== 'found') return null;
  const servers = [incoming, outgoing];
  const better = (server: ExistingServer | null): Setting | null =>
    server === null || assessServer(server, discovery).length === 0 ? null : candidates(discovery, server).find(isVerified) ?? null;
  const [betterIn = null, betterOut = null] = servers.map(better);
  if (betterIn !== null || betterOut !== null) return { incoming: betterIn, outgoing: betterOut, verified: true };
  const other = (server: ExistingServer | null): Setting | null => {
    if (server === null) return null;
    if (sameProtocol(discovery, server).some((s) => publishes(s, server))) return null;
    return candidates(discovery, server)[0] ?? null;
  };
  const [otherIn = null, otherOut = null] = servers.map(other);
  return otherIn === null && otherOut === null ? null : { incoming: otherIn, outgoing: otherOut, verified: false };
}

/**
 * The level an account really gets from its own servers, by the badge's rules (levelOf): plain text is none. A server
 * the discovery published as it is configured carries that setting's facts (DNSSEC, the probe's certificate and
 * failures); any other is vouched for only by being in the domain.
 */
export function accountLevel(servers: readonly ExistingServer[], discovery: Discovery): BadgeLevel {
  if (discovery.status !== 'found') return 'none';
  const facts = (server: ExistingServer): BadgeInput | null => {
    if (server.security === 'plain') return null;
    const published = sameProtocol(discovery, server).find((s) => publishes(s, server));
    if (published !== undefined) return published;
    const host = parseHostname(normalHost(server.hostname));
    return { security: server.security, inDomain: host.ok && isInDomain(host.hostname, discovery.domain), dnssec: false };
  };
  const inputs = servers.map(facts);
  return inputs.every((s) => s !== null) ? levelOf(inputs) : 'none';
}
