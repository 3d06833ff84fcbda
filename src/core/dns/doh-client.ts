// DNS-over-HTTPS client (RFC 8484): one question, resolvers tried in order, strict answers only.
import type { Platform } from '../platform.ts';
import type { DnsFailureReason } from '../reasons.ts';
import { base64url } from './base64url.ts';
import { followCname } from './follow-cname.ts';
import { MAX_MESSAGE_OCTETS } from './walk-message.ts';
import { decodeResponse, encodeQuery, type Question, type ResourceRecord } from './wire.ts';

export const DNS_MESSAGE = 'application/dns-message'; // RFC 8484 §6
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface DohOptions {
  /** https URLs of DoH endpoints (URI templates without variables), tried in order on failure. */
  readonly resolvers: readonly string[];
  readonly method: 'GET' | 'POST';
  readonly timeoutMs: number;
}

export type LookupResult =
  | { status: 'answer'; records: readonly ResourceRecord[]; ad: boolean; resolver: string }
  | { status: 'nxdomain' | 'nodata'; ad: boolean; resolver: string }
  | { status: 'error'; reason: DnsFailureReason; resolver: string; name: string; detail: string };

type Attempt = Exclude<LookupResult, { status: 'error' }> | { status: 'error'; reason: DnsFailureReason; detail: string };

/** Resolves `question`; SERVFAIL, time-outs and broken answers move on to the next resolver. */
export async function lookup(question: Question, options: DohOptions, platform: Platform): Promise<LookupResult> {
  const failures: string[] = [];
  let last: LookupResult | undefined;
  for (const resolver of options.resolvers) {
    const attempt = await ask(resolver, question, options, platform);
    if (attempt.status !== 'error') return attempt;
    failures.push(`${resolver}: ${attempt.detail}`);
    last = { ...attempt, resolver, name: question.name, detail: failures.join('; ') };
  }
  return last ?? { status: 'error', reason: 'network', resolver: '', name: question.name, detail: 'no resolver configured' };
}

async function ask(resolver: string, question: Question, options: DohOptions, platform: Platform): Promise<Attempt> {
  const query = encodeQuery(question, !isLoopback(resolver));
  const signal = platform.timeout(options.timeoutMs);
  const accept = { accept: DNS_MESSAGE };
  let bytes: Uint8Array;
  try {
    const response = options.method === 'GET'
      ? await platform.fetch(withDnsParameter(resolver, query), { method: 'GET', headers: accept, signal, redirect: 'error', maxBytes: MAX_MESSAGE_OCTETS })
      : await platform.fetch(resolver, { method: 'POST', headers: { ...accept, 'content-type': DNS_MESSAGE }, body: query, signal, redirect: 'error', maxBytes: MAX_MESSAGE_OCTETS });
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
  const chain = followCname(answers, question.name, question.type);
  if (!chain.ok) return fail(chain.reason, chain.detail);
  if (chain.records.length === 0) return { status: 'nodata', ad, resolver };
  return { status: 'answer', records: chain.records, ad, resolver };
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
