// What the add-on hands Thunderbird's own account set-up (README, "In Thunderbird's own account set-up"): the chosen
// servers and their alternatives, the login name to try first, and the hosts the user must confirm.
import type { Discovery, Setting } from '../verdict/verdict.ts';
import { isVerified } from '../trust/verified-by.ts';
import { serverRef, type ServerRef } from './match-shown.ts';
import { oauth2OnlyHosts } from './oauth2-only.ts';

export interface SetupOffer {
  readonly address: string;
  /** RFC 6186 §4: the full address first, then the local-part. */
  readonly usernames: readonly string[];
  readonly incoming: ServerRef;
  readonly outgoing: ServerRef;
  readonly incomingAlternatives: readonly ServerRef[];
  readonly outgoingAlternatives: readonly ServerRef[];
  /**
   * RFC 6186 §6: host names of offered servers nothing vouches for (docs/trust.md). Empty: the offer
   * goes straight through; otherwise Thunderbird's dialog asks the user about exactly these hosts.
   */
  readonly unverifiedHosts: readonly string[];
  /** Host names of offered servers something vouches for: the Experiment uses no host the background named neither. */
  readonly vouchedHosts: readonly string[];
  /**
   * Host names of offered servers whose probe read only OAuth2 mechanisms (RFC 7628): Thunderbird offers them only
   * when it knows the host's OAuth2 provider, never with a password that cannot work.
   */
  readonly oauth2OnlyHosts: readonly string[];
}

/** The offer for a found discovery with both an incoming and an outgoing server; null otherwise. */
export function setupOffer(discovery: Discovery): SetupOffer | null {
  if (discovery.status !== 'found' || discovery.incoming === null || discovery.outgoing === null) return null;
  const offered = [discovery.incoming, discovery.outgoing, ...discovery.alternatives];
  const unverified = offered.filter((s) => !isVerified(s)).map((s) => s.hostname as string);
  const vouched = offered.filter((s) => isVerified(s)).map((s) => s.hostname as string);
  const alternatives = (outgoing: boolean): ServerRef[] =>
    discovery.alternatives.filter((s: Setting) => (s.protocol === 'smtp') === outgoing).map(serverRef);
  return {
    address: discovery.address,
    usernames: discovery.incoming.usernames,
    incoming: serverRef(discovery.incoming),
    outgoing: serverRef(discovery.outgoing),
    incomingAlternatives: alternatives(false),
    outgoingAlternatives: alternatives(true),
    unverifiedHosts: [...new Set(unverified)],
    vouchedHosts: [...new Set(vouched)],
    // Whether Thunderbird knows the provider is asked in Thunderbird (src/experiments/setup).
    oauth2OnlyHosts: oauth2OnlyHosts(offered, () => false),
  };
}
