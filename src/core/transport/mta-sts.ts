// MTA-STS (RFC 8461): the TXT record, the HTTPS policy, its MX patterns against the domain's MX.
import { MTA_STS_PREFIX } from '../cache-keys.ts';
import type { MtaStsReason } from '../reasons.ts';
import type { Answer, TransportContext } from './context.ts';
import { ask } from './context.ts';
import { isStsRecord, mxMatches, parseStsPolicy, parseStsTxt, POLICY_MAX_OCTETS, type StsMode, type StsPolicy } from './parse-mta-sts.ts';
import { readTxt } from './read-txt.ts';

export type MtaStsResult =
  | { readonly status: 'absent' }
  | {
      readonly status: 'valid';
      readonly id: string;
      readonly mode: StsMode;
      readonly maxAge: number;
      readonly mx: readonly string[];
      readonly mxHosts: readonly string[];
      /** MX hosts no `mx` pattern matches (RFC 8461 §4.1): mail to them would fail under enforce. */
      readonly mxMismatch: readonly string[];
      readonly fromCache: boolean;
    }
  | { readonly status: 'invalid' | 'error'; readonly reason: MtaStsReason; readonly detail?: string };


interface CachedPolicy {
  readonly id: string;
  readonly policy: StsPolicy;
  readonly expiresAt: number;
}

export async function checkMtaSts(ctx: TransportContext, mxHosts: Promise<readonly string[]>): Promise<MtaStsResult> {
  const answer: Answer = await ask(ctx, `_mta-sts.${ctx.domain}`, 'TXT');
  if (answer.kind === 'error') return { status: 'error', reason: 'mta-sts-lookup-failed', detail: answer.detail };
  // RFC 8461 §3.1: records not beginning with "v=STSv1;" are discarded; not exactly one = no policy.
  const records = answer.kind === 'records' ? readTxt(answer.records).filter(isStsRecord) : [];
  if (records.length === 0) return { status: 'absent' };
  if (records.length > 1) return { status: 'invalid', reason: 'mta-sts-txt-multiple', detail: `${records.length} v=STSv1 records` };
  const txt = parseStsTxt(records[0] ?? '');
  if (!txt.ok) return { status: 'invalid', reason: txt.reason, detail: records[0] ?? '' };

  // RFC 8461 §5.1: a cached policy stays good until max_age, unless the TXT id changes.
  const cached = await readCache(ctx, txt.id);
  const fetched = cached === null ? await fetchPolicy(ctx) : { ok: true as const, policy: cached.policy };
  if (!fetched.ok) return fetched.result;
  const { policy } = fetched;
  if (cached === null) await writeCache(ctx, { id: txt.id, policy, expiresAt: ctx.platform.now() + policy.maxAge * 1000 });
  const hosts = await mxHosts;
  return {
    status: 'valid',
    id: txt.id,
    mode: policy.mode,
    maxAge: policy.maxAge,
    mx: policy.mx,
    mxHosts: hosts,
    mxMismatch: policy.mode === 'none' ? [] : hosts.filter((h) => !policy.mx.some((p) => mxMatches(h, p))),
    fromCache: cached !== null,
  };
}

type Fetched = { ok: true; policy: StsPolicy } | { ok: false; result: MtaStsResult };

/** RFC 8461 §3.3: HTTPS GET of the well-known URL, valid certificate, no redirects, text/plain. */
async function fetchPolicy(ctx: TransportContext): Promise<Fetched> {
  const url = policyUrl(ctx.domain);
  const fail = (status: 'invalid' | 'error', reason: MtaStsReason, detail: string): Fetched => ({ ok: false, result: { status, reason, detail } });
  const signal = ctx.platform.timeout(ctx.options.timeoutMs);
  let bytes: Uint8Array;
  try {
    const response = await ctx.platform.fetchPolicy(url, { method: 'GET', headers: { accept: 'text/plain' }, signal, redirect: 'manual', maxBytes: POLICY_MAX_OCTETS });
    if (response.status === 0 || (response.status >= 300 && response.status < 400)) {
      return fail('invalid', 'mta-sts-redirect', `${url} answered with a redirect (${response.status || 'opaque'})`);
    }
    if (response.status !== 200) return fail('invalid', 'mta-sts-http-status', `${url} answered HTTP ${response.status}`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'text/plain') return fail('invalid', 'mta-sts-content-type', `${url} is ${JSON.stringify(type)}, not text/plain`);
    if (Number(response.headers.get('content-length') ?? 0) > POLICY_MAX_OCTETS) return fail('invalid', 'mta-sts-too-large', `${url} is over ${POLICY_MAX_OCTETS} octets`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    const why = signal.aborted ? `no answer within ${ctx.options.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    return fail('error', 'mta-sts-fetch-failed', `${url}: ${why}`);
  }
  if (bytes.length > POLICY_MAX_OCTETS) return fail('invalid', 'mta-sts-too-large', `${url} is over ${POLICY_MAX_OCTETS} octets`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('invalid', 'mta-sts-syntax', `${url} is not text`);
  }
  const parsed = parseStsPolicy(text);
  if (!parsed.ok) return fail('invalid', parsed.reason, parsed.line === undefined ? url : `${url} line ${parsed.line}`);
  return { ok: true, policy: parsed.policy };
}

/** The domain is a checked Hostname, so this URL can only name its own policy host. */
export function policyUrl(domain: string): string {
  return `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
}

async function readCache(ctx: TransportContext, id: string): Promise<CachedPolicy | null> {
  const value = await ctx.platform.storage?.get(`${MTA_STS_PREFIX}${ctx.domain}`);
  const entry = value as Partial<CachedPolicy> | undefined;
  if (typeof entry !== 'object' || entry === null || entry.id !== id || typeof entry.expiresAt !== 'number') return null;
  if (ctx.platform.now() >= entry.expiresAt || typeof entry.policy !== 'object') return null;
  return entry as CachedPolicy;
}

async function writeCache(ctx: TransportContext, entry: CachedPolicy): Promise<void> {
  if (entry.policy.maxAge > 0) await ctx.platform.storage?.set(`${MTA_STS_PREFIX}${ctx.domain}`, entry);
}
