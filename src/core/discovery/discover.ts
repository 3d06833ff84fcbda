// Discovery: the SRV queries in parallel, then selection (RFC 6186, RFC 8314 §5.1, RFC 2782).
import type { EmailAddress } from '../address/parse-address.ts';
import type { Hostname } from '../address/parse-hostname.ts';
import { badgeFor, transportReasons, type Badge } from '../badge.ts';
import { lookup, type DohOptions, type LookupResult } from '../dns/doh-client.ts';
import { rememberFailures } from '../dns/resolver-memory.ts';
import type { Platform } from '../platform.ts';
import type { DnsFailureReason } from '../reasons.ts';
import { startTransportChecks, type Transport, type TransportChecks } from '../transport/index.ts';
import { chooseProtocol, orderCandidates } from './choose-protocol.ts';
import { loginNames } from './login-names.ts';
import { readSrvAnswer, type Candidate, type RejectedRecord } from './read-srv-answer.ts';
import { labelsFor, type Protocol, type Security } from './service-labels.ts';

export interface Setting {
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

export interface Discovery {
  readonly status: DiscoveryStatus;
  readonly address: string;
  readonly domain: Hostname;
  readonly incoming: Setting | null;
  readonly outgoing: Setting | null;
  /** Other candidates in the order they would be tried: same protocol first, the other protocol last. */
  readonly alternatives: readonly Setting[];
  /** Labels whose sole SRV record has target "." (RFC 6186 §3.4). */
  readonly notOffered: readonly string[];
  readonly rejected: readonly RejectedRecord[];
  /** Every SRV answer, positive or negative, carried AD. */
  readonly dnssec: boolean;
  readonly badge: Badge;
  /** MTA-STS, TLS-RPT and DANE for the domain's mail (DESIGN §4); null when not asked for. */
  readonly transport: Transport | null;
  readonly timing: { readonly elapsedMs: number; readonly queries: number };
  readonly fromCache: boolean;
  readonly error: DiscoveryFailure | null;
}

export interface DiscoveryOptions extends DohOptions {
  /** RFC 6186 §4 re-lookup: query only this protocol's labels and keep to that protocol. */
  readonly only?: Protocol;
  /** Also check MTA-STS, TLS-RPT and DANE (not on a re-lookup). */
  readonly transport?: boolean;
}

export async function discover(address: EmailAddress, given: DiscoveryOptions, platform: Platform): Promise<Discovery> {
  const started = platform.now();
  // One memory for every query of this discovery (SRV, TXT, MX, TLSA): no time-out is paid twice.
  const options: DiscoveryOptions = { ...given, memory: given.memory ?? rememberFailures() };
  let queries = 0;
  const counted: Platform = { ...platform, fetch: (url, init) => { queries++; return platform.fetch(url, init); } };
  const services = labelsFor(options.only);
  // The transport checks' TXT and MX queries leave together with the SRV queries.
  const transport = options.transport === true && options.only === undefined ? startTransportChecks(address.domain, options, counted) : null;
  // One round-trip of wall time: every label is asked at once.
  const answers = await Promise.all(
    services.map((service) => lookup({ name: `${service.label}.${address.domain}`, type: 'SRV' }, options, counted)),
  );
  const timing = (): Discovery['timing'] => ({ elapsedMs: platform.now() - started, queries });

  const failed = answers.find((a): a is Extract<LookupResult, { status: 'error' }> => a.status === 'error');
  if (failed !== undefined) {
    // A partial answer could downgrade (e.g. _imaps failing leaves _imap): fail as a whole.
    const { reason, resolver, name, detail } = failed;
    const error = { reason, resolver, name, detail };
    return withTransport(settle(address, { ...NOTHING, timing: timing(), error }, platform.random, options.only), transport, timing);
  }

  const candidates: Candidate[] = [];
  const rejected: RejectedRecord[] = [];
  const notOffered: string[] = [];
  for (const [i, answer] of answers.entries()) {
    const service = services[i];
    if (service === undefined || answer.status !== 'answer') continue;
    const read = readSrvAnswer(service, answer.records, answer.ad, address.domain);
    if (read.kind === 'not-offered') {
      notOffered.push(service.label);
    } else {
      candidates.push(...read.candidates);
      rejected.push(...read.rejected);
    }
  }
  const dnssec = answers.every((a) => a.status !== 'error' && a.ad);
  const settled = settle(address, { candidates, rejected, notOffered, dnssec, timing: timing(), error: null }, platform.random, options.only);
  return withTransport(settled, transport, timing);
}

/** TLSA for the chosen servers follows the SRV answer; the rest has been running meanwhile. */
async function withTransport(discovery: Discovery, checks: TransportChecks | null, timing: () => Discovery['timing']): Promise<Discovery> {
  if (checks === null) return discovery;
  const chosen = [['incoming', discovery.incoming], ['outgoing', discovery.outgoing]] as const;
  const transport = await checks.finish(chosen.flatMap(([source, s]) => (s === null ? [] : [{ host: s.hostname, port: s.port, dnssec: s.dnssec, source }])));
  const badge = { ...discovery.badge, reasons: [...discovery.badge.reasons, ...transportReasons(transport)] };
  return { ...discovery, transport, badge, timing: timing() };
}

interface Gathered {
  readonly candidates: readonly Candidate[];
  readonly rejected: readonly RejectedRecord[];
  readonly notOffered: readonly string[];
  readonly dnssec: boolean;
  readonly timing: Discovery['timing'];
  readonly error: DiscoveryFailure | null;
}

const NOTHING = { candidates: [], rejected: [], notOffered: [], dnssec: false } as const;

/** Selection over what the queries gathered: protocol, order, settings, badge. */
function settle(address: EmailAddress, gathered: Gathered, random: () => number, only: Protocol | undefined): Discovery {
  const { candidates, rejected, notOffered, dnssec, timing, error } = gathered;
  const incoming = candidates.filter((c) => c.service.direction === 'incoming');
  // RFC 6186 §4: a re-lookup never switches between IMAP and POP3 on its own.
  const protocol = only === 'imap' || only === 'pop3' ? only : chooseProtocol(incoming);
  const chosen = orderCandidates(incoming.filter((c) => c.service.protocol === protocol), random);
  const other = orderCandidates(incoming.filter((c) => c.service.protocol !== protocol), random);
  const outgoing = orderCandidates(candidates.filter((c) => c.service.direction === 'outgoing'), random);

  const usernames = loginNames(address);
  const toSetting = (c: Candidate): Setting => ({
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
    badge: badgeFor(inSetting, outSetting, error !== null),
    transport: null,
    timing,
    fromCache: false,
    error,
  };
}
