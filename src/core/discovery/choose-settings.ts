// Discovery: the SRV queries in parallel, then the choice of settings (RFC 6186, RFC 8314 §5.1, RFC 2782).
import type { EmailAddress } from '../address/parse-address.ts';
import type { Hostname } from '../address/parse-hostname.ts';
import { lookup, type DohOptions, type LookupResult } from '../dns/doh-client.ts';
import type { Platform } from '../platform.ts';
import type { DnsFailureReason } from '../reasons.ts';
import { chooseProtocol, orderCandidates } from './choose-protocol.ts';
import { loginNames } from './login-names.ts';
import { readSrvAnswer, type Candidate, type RejectedRecord } from './read-srv-answer.ts';
import { labelsFor, type Protocol, type Security, type ServiceLabel } from './service-labels.ts';

/** One server as the SRV records give it, before anything has vouched for it or probed it. */
export interface ChosenSetting {
  readonly protocol: Protocol;
  readonly hostname: Hostname;
  readonly port: number;
  readonly security: Security;
  /** RFC 6186 §4: in the order to try them. */
  readonly usernames: readonly string[];
  readonly inDomain: boolean;
  readonly dnssec: boolean;
  /** The SRV label it came from, e.g. `_imaps._tcp`. */
  readonly service: string;
  readonly ttl: number;
}

export interface DiscoveryFailure {
  readonly reason: DnsFailureReason;
  readonly resolver: string;
  /** The name queried, which names the label. */
  readonly name: string;
  readonly detail: string;
}

export type DiscoveryStatus = 'found' | 'not-published' | 'resolver-failure';

/** What the SRV answers decide: the servers to use, the rest in order, and what was set aside. */
export interface Choice<S extends ChosenSetting = ChosenSetting> {
  readonly status: DiscoveryStatus;
  readonly address: string;
  readonly domain: Hostname;
  readonly incoming: S | null;
  readonly outgoing: S | null;
  /** Other candidates in the order they would be tried: same protocol first, the other protocol last. */
  readonly alternatives: readonly S[];
  /** Labels whose sole SRV record has target "." (RFC 6186 §3.4). */
  readonly notOffered: readonly string[];
  readonly rejected: readonly RejectedRecord[];
  /** Every SRV answer, positive or negative, carried AD. */
  readonly dnssec: boolean;
  readonly error: DiscoveryFailure | null;
}

export interface SrvAnswers {
  readonly services: readonly ServiceLabel[];
  readonly answers: readonly LookupResult[];
}

/** One round-trip of wall time: every label (or, on a re-lookup, one protocol's) is asked at once. */
export async function querySrv(
  address: EmailAddress,
  only: Protocol | undefined,
  options: DohOptions,
  platform: Platform,
): Promise<SrvAnswers> {
  const services = labelsFor(only);
  const ask = (service: ServiceLabel): Promise<LookupResult> =>
    lookup({ name: `${service.label}.${address.domain}`, type: 'SRV' }, options, platform);
  const answers = await Promise.all(services.map(ask));
  return { services, answers };
}

/** RFC 6186 §3.4 and §4, RFC 8314 §5.1, RFC 2782: protocol, order and settings from the answers. */
export function chooseSettings(address: EmailAddress, srv: SrvAnswers, random: () => number, only: Protocol | undefined): Choice {
  const failed = srv.answers.find((a): a is Extract<LookupResult, { status: 'error' }> => a.status === 'error');
  if (failed !== undefined) {
    // A partial answer could downgrade (e.g. _imaps failing leaves _imap): fail as a whole.
    const { reason, resolver, name, detail } = failed;
    return settle(address, { ...NOTHING, error: { reason, resolver, name, detail } }, random, only);
  }
  const candidates: Candidate[] = [];
  const rejected: RejectedRecord[] = [];
  const notOffered: string[] = [];
  for (const [i, answer] of srv.answers.entries()) {
    const service = srv.services[i];
    if (service === undefined || answer.status !== 'answer') continue;
    const read = readSrvAnswer(service, answer.records, answer.ad, address.domain);
    if (read.kind === 'not-offered') {
      notOffered.push(service.label);
    } else {
      candidates.push(...read.candidates);
      rejected.push(...read.rejected);
    }
  }
  const dnssec = srv.answers.every((a) => a.status !== 'error' && a.ad);
  return settle(address, { candidates, rejected, notOffered, dnssec, error: null }, random, only);
}

interface Gathered {
  readonly candidates: readonly Candidate[];
  readonly rejected: readonly RejectedRecord[];
  readonly notOffered: readonly string[];
  readonly dnssec: boolean;
  readonly error: DiscoveryFailure | null;
}

const NOTHING = { candidates: [], rejected: [], notOffered: [], dnssec: false } as const;

function settle(address: EmailAddress, gathered: Gathered, random: () => number, only: Protocol | undefined): Choice {
  const { candidates, rejected, notOffered, dnssec, error } = gathered;
  const incoming = candidates.filter((c) => c.service.direction === 'incoming');
  // RFC 6186 §4: a re-lookup never switches between IMAP and POP3 on its own.
  const protocol = only === 'imap' || only === 'pop3' ? only : chooseProtocol(incoming);
  const chosen = orderCandidates(incoming.filter((c) => c.service.protocol === protocol), random);
  const other = orderCandidates(incoming.filter((c) => c.service.protocol !== protocol), random);
  const outgoing = orderCandidates(candidates.filter((c) => c.service.direction === 'outgoing'), random);

  const usernames = loginNames(address);
  const toSetting = (c: Candidate): ChosenSetting => ({
    protocol: c.service.protocol,
    hostname: c.hostname,
    port: c.port,
    security: c.service.security,
    usernames,
    inDomain: c.inDomain,
    dnssec: c.dnssec,
    service: c.service.label,
    ttl: c.ttl,
  });
  const [firstIn, ...restIn] = chosen.map(toSetting);
  const [firstOut, ...restOut] = outgoing.map(toSetting);
  const inSetting = firstIn ?? null;
  const outSetting = firstOut ?? null;
  const status: DiscoveryStatus = error !== null ? 'resolver-failure' : inSetting ?? outSetting ? 'found' : 'not-published';
  return {
    status,
    address: address.address,
    domain: address.domain,
    incoming: inSetting,
    outgoing: outSetting,
    alternatives: [...restIn, ...restOut, ...other.map(toSetting)],
    notOffered,
    rejected,
    dnssec,
    error,
  };
}

/**
 * RFC 6186 §4: after a connection or login failure with `failed`, the fresh answer for that protocol
 * replaces its side; the other side of `previous` is kept. IMAP and POP3 are never swapped without the user.
 */
export function mergeRelookup(fresh: Choice, previous: Choice, failed: Protocol): Choice {
  if (fresh.status === 'resolver-failure') return fresh;
  const outgoingFailed = failed === 'smtp';
  const incoming = outgoingFailed ? previous.incoming : fresh.incoming;
  const outgoing = outgoingFailed ? fresh.outgoing : previous.outgoing;
  const kept = previous.alternatives.filter((s) => (s.protocol === 'smtp') !== outgoingFailed);
  return {
    ...fresh,
    status: incoming ?? outgoing ? 'found' : 'not-published',
    incoming,
    outgoing,
    alternatives: outgoingFailed ? [...kept, ...fresh.alternatives] : [...fresh.alternatives, ...kept],
    notOffered: [...new Set([...previous.notOffered, ...fresh.notOffered])],
  };
}
