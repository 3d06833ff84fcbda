// DNS-over-HTTPS client (RFC 8484): one question, resolvers tried in order, strict answers only.
import type { Platform } from '../platform.ts';
import type { DnsFailureReason } from '../reasons.ts';
import { base64url } from './base64url.ts';
import { followCname, type CnameResult } from './follow-cname.ts';
import { isResolverFault, type ResolverMemory } from './resolver-memory.ts';
import { MAX_MESSAGE_OCTETS } from './walk-message.ts';
import { decodeResponse, encodeQuery, isEncodableName, type Question, type ResourceRecord } from './wire.ts';

export const DNS_MESSAGE = 'application/dns-message'; // RFC 8484 §6
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface DohOptions {
  /** https URLs of DoH endpoints (URI templates without variables), tried in order on failure. */
  readonly resolvers: readonly string[];
  readonly method: 'GET' | 'POST';
  /** Per query and resolver: a resolver is given this long to answer before the next is asked. */
  readonly timeoutMs: number;
  /** Shared by every query of one discovery, so a resolver that failed is not asked again. */
  readonly memory?: ResolverMemory;
}

export type LookupResult =
  | { status: 'answer'; records: readonly ResourceRecord[]; ad: boolean; resolver: string }
  | { status: 'nxdomain' | 'nodata'; ad: boolean; resolver: string }
  | { status: 'error'; reason: DnsFailureReason; resolver: string; name: string; detail: string };

type Found = Exclude<LookupResult, { status: 'error' }>;
type Failed = { status: 'error'; reason: DnsFailureReason; detail: string };
/** One resolver's reply: records, a negative answer, or a CNAME the server did not follow. */
type Attempt = Found | Failed | { status: 'alias'; chain: Extract<CnameResult, { ok: true }>; ad: boolean; resolver: string };

/**
 * Resolves `question`. SERVFAIL, time-outs and broken answers move on to the next resolver; an
 * answer ending in a CNAME the server did not follow (an authoritative-only server answers so)
 * is followed with a new query for its target, bounded and loop-checked (RFC 1034 §3.6.2).
 */
export async function lookup(question: Question, options: DohOptions, platform: Platform): Promise<LookupResult> {
  let name = question.name;
  let seen: readonly string[] = [];
  let ad = true;
  let ttlBound = Number.POSITIVE_INFINITY;
  // Ends: each alias step adds a CNAME to `seen`, and followCname refuses more than MAX_CNAME_HOPS.
  for (;;) {
    const step = await askInTurn({ name, type: question.type }, options, platform, seen);
    if (step.status === 'error') {
      const via = name === question.name ? '' : ` (following CNAME to ${name})`;
      return { ...step, name: question.name, detail: `${step.detail}${via}` };
    }
    ad &&= step.ad;
    if (step.status === 'answer') return { ...step, records: withTtlAtMost(step.records, ttlBound), ad };
    if (step.status !== 'alias') return { ...step, ad };
    const { chain } = step;
    ttlBound = Math.min(ttlBound, chain.cnameTtl ?? ttlBound);
    seen = [...seen, ...chain.aliases.slice(0, -1)];
    name = chain.name;
  }
}

/** Asks the resolvers in order, skipping those that failed earlier in the same discovery. */
async function askInTurn(
  question: Question,
  options: DohOptions,
  platform: Platform,
  seen: readonly string[],
): Promise<Exclude<Attempt, Failed> | (Failed & { resolver: string })> {
  const failures: string[] = [];
  let last: (Failed & { resolver: string }) | undefined;
  for (const resolver of options.resolvers) {
    const earlier = options.memory?.failed(resolver);
    if (earlier !== undefined) {
      failures.push(`${resolver}: ${earlier.detail} (earlier in this lookup; not asked again)`);
      last = { status: 'error', reason: earlier.reason, resolver, detail: failures.join('; ') };
      continue;
    }
    const attempt = await ask(resolver, question, options, platform, seen);
    if (attempt.status !== 'error') return attempt;
    if (isResolverFault(attempt.reason)) options.memory?.remember(resolver, attempt);
    failures.push(`${resolver}: ${attempt.detail}`);
    last = { ...attempt, resolver, detail: failures.join('; ') };
  }
  return last ?? { status: 'error', reason: 'network', resolver: '', detail: 'no resolver configured' };
}

async function ask(
  resolver: string,
  question: Question,
  options: DohOptions,
  platform: Platform,
  seen: readonly string[],
): Promise<Attempt> {
  const query = encodeQuery(question, !isLoopback(resolver));
  const signal = platform.timeout(options.timeoutMs);
  const accept = { accept: DNS_MESSAGE };
  // RFC 9110 §8.6: a POST states its length (BIND 9 refuses one without; browsers set it from the body).
  const post = { ...accept, 'content-type': DNS_MESSAGE, 'content-length': String(query.byteLength) };
  const common = { signal, redirect: 'error', maxBytes: MAX_MESSAGE_OCTETS } as const;
  let bytes: Uint8Array;
  try {
    const response = options.method === 'GET'
      ? await platform.fetch(withDnsParameter(resolver, query), { method: 'GET', headers: accept, ...common })
      : await platform.fetch(resolver, { method: 'POST', headers: post, body: query, ...common });
    if (response.status !== 200) return fail('http-status', `HTTP ${response.status} for ${question.name}`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== DNS_MESSAGE) return fail('content-type', `content type ${JSON.stringify(type)} for ${question.name}`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_MESSAGE_OCTETS) return tooLarge(question);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (signal.aborted) return fail('timeout', `no answer for ${question.name} within ${options.timeoutMs} ms`);
    return fail('network', `${question.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes.length > MAX_MESSAGE_OCTETS) return tooLarge(question);

  const decoded = decodeResponse(bytes, question);
  if (!decoded.ok) return fail(decoded.reason, `${question.name}: ${decoded.detail}`);
  const { rcode, ad, answers } = decoded.response;
  switch (rcode) {
    case RCODE.NOERROR: break;
    case RCODE.NXDOMAIN: return { status: 'nxdomain', ad, resolver };
    case RCODE.SERVFAIL: return fail('servfail', `SERVFAIL for ${question.name}`);
    case RCODE.REFUSED: return fail('refused', `REFUSED for ${question.name}`);
    default: return fail('rcode-other', `RCODE ${rcode} for ${question.name}`);
  }
  const chain = followCname(answers, question.name, question.type, { seen, hops: seen.length });
  if (!chain.ok) return fail(chain.reason, chain.detail);
  if (chain.records.length > 0) {
    return { status: 'answer', records: withTtlAtMost(chain.records, chain.cnameTtl ?? Number.POSITIVE_INFINITY), ad, resolver };
  }
  // A chain that ends at a name this answer holds nothing for: the server did not follow the
  // CNAME (or the target has no data; asking again tells which). Never read as "no record".
  if (chain.name === question.name) return { status: 'nodata', ad, resolver };
  if (!isEncodableName(chain.name)) {
    return fail('cname-target-invalid', `${question.name}: CNAME target ${JSON.stringify(chain.name)} cannot be asked for`);
  }
  return { status: 'alias', chain, ad, resolver };
}

/** RFC 2181 §10.1.1: records reached through an alias are cached no longer than the alias. */
function withTtlAtMost(records: readonly ResourceRecord[], bound: number): readonly ResourceRecord[] {
  return records.map((r) => (r.ttl > bound ? { ...r, ttl: bound } : r));
}

function fail(reason: DnsFailureReason, detail: string): Attempt {
  return { status: 'error', reason, detail };
}

function tooLarge(question: Question): Attempt {
  return fail('response-too-large', `answer for ${question.name} exceeds ${MAX_MESSAGE_OCTETS} octets`);
}

/** RFC 8484 §4.1: GET carries the query as `dns=` base64url without padding. */
export function withDnsParameter(resolver: string, query: Uint8Array): string {
  return `${resolver}${resolver.includes('?') ? '&' : '?'}dns=${base64url(query)}`;
}

/** RFC 8467 padding protects queries on the wire; a resolver on this machine has no wire to protect. */
function isLoopback(resolver: string): boolean {
  const host = /^https:\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(resolver)?.[1]?.toLowerCase() ?? '';
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
