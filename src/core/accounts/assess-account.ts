// How an existing account compares with what its domain publishes (RFC 8314 §5.1, RFC 6186 §3).
import type { Discovery, Setting } from '../discovery/discover.ts';
import type { WeaknessReason } from '../reasons.ts';

export interface ExistingServer {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number;
  readonly security: 'tls' | 'starttls' | 'plain';
}

/** The weaknesses of one configured server against the domain's SRV records. */
export function assessServer(server: ExistingServer, discovery: Discovery): WeaknessReason[] {
  const published: Setting[] = [discovery.incoming, discovery.outgoing, ...discovery.alternatives].filter((s): s is Setting => s !== null);
  const sameProtocol = published.filter((s) => s.protocol === server.protocol);
  if (sameProtocol.length === 0) return server.security === 'plain' ? ['weak-plaintext'] : [];
  const weaknesses: WeaknessReason[] = [];
  if (server.security === 'plain') weaknesses.push('weak-plaintext');
  // RFC 8314 §5.1: STARTTLS while the domain offers implicit TLS for the same protocol.
  if (server.security === 'starttls' && sameProtocol.some((s) => s.security === 'tls')) weaknesses.push('weak-starttls-while-tls-offered');
  const host = server.hostname.toLowerCase().replace(/\.$/, '');
  if (!sameProtocol.some((s) => s.hostname === host)) weaknesses.push('weak-host-not-in-srv');
  return weaknesses;
}

export interface UpdateProposal {
  readonly incoming: Setting | null;
  readonly outgoing: Setting | null;
}

/**
 * The published settings a weaker account could move to: same protocol only (RFC 6186 §4: never
 * IMAP<->POP3 without the user), the best candidate in the order they would be tried.
 */
export function proposeUpdate(incoming: ExistingServer, outgoing: ExistingServer | null, discovery: Discovery): UpdateProposal | null {
  const tried = [discovery.incoming, discovery.outgoing, ...discovery.alternatives].filter((s): s is Setting => s !== null);
  const best = (server: ExistingServer | null): Setting | null =>
    server === null || assessServer(server, discovery).length === 0 ? null : tried.find((s) => s.protocol === server.protocol) ?? null;
  const proposal = { incoming: best(incoming), outgoing: best(outgoing) };
  return proposal.incoming === null && proposal.outgoing === null ? null : proposal;
}
