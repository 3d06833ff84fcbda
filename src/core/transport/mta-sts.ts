// MTA-STS (RFC 8461): the TXT record, the HTTPS policy, its MX patterns against the domain's MX.
import { MTA_STS_PREFIX, putCacheEntry } from '../cache-keys.ts';
import type { MtaStsReason } from '../reasons.ts';
import type { Answer, TransportContext } from './context.ts';
import { ask } from './context.ts';
import { isStsRecord, mxMatches, parseStsPolicy, parseStsTxt, POLICY_MAX_OCTETS, type StsMode, type StsPolicy } from './parse-mta-sts.ts';
import { readTxt, showTxt } from './read-txt.ts';

/** Why no live policy could be had: no record, a record or policy that is not one, or a failed look-up. */
export type MtaStsLive =
  | { readonly status: 'absent' }
  | { readonly status: 'invalid' | 'error'; readonly reason: MtaStsReason; readonly detail?: string };

export type MtaStsResult =
  | MtaStsLive
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
      /** RFC 8461 §3.3: set when no live policy could be had and the unexpired cached one applies; says why. */
      readonly live?: MtaStsLive;
    };

interface CachedPolicy {
  readonly id: string;
  readonly policy: StsPolicy;
  readonly expiresAt: number;
}

type Live = { ok: true; id: string; policy: StsPolicy; fromCache: boolean } | { ok: false; result: MtaStsLive };

export async function checkMtaSts(ctx: TransportContext, mxHosts: Promise<readonly string[]>): Promise<MtaStsResult> {
  // The TXT query leaves at once, with the SRV queries; the cache is read meanwhile.
  const [answer, cached] = await Promise.all([ask(ctx, `_mta-sts.${ctx.domain}`, 'TXT'), readCache(ctx)]);
  const live = await livePolicy(ctx, answer, cached);
  let applied: { id: string; policy: StsPolicy; fromCache: boolean };
  if (live.ok) applied = live;
  else if (cached !== null) applied = { id: cached.id, policy: cached.policy, fromCache: true };
  else return live.result;
  const { policy } = applied;
  const hosts = await mxHosts;
  const result = {
    status: 'valid' as const,
    id: applied.id,
    mode: policy.mode,
    maxAge: policy.maxAge,
    mx: policy.mx,
    mxHosts: hosts,
    mxMismatch: policy.mode === 'none' ? [] : hosts.filter((h) => !policy.mx.some((p) => mxMatches(h, p))),
    fromCache: applied.fromCache,
  };
  // RFC 8461 §3.3: "if no live policy can be discovered via DNS or fetched via HTTPS, but a valid
  // (non-expired) policy exists in the sender's cache, the sender MUST apply that cached policy."
  return live.ok ? result : { ...result, live: live.result };
}

/** The policy as discovered now: the TXT record, then the cached policy for the same id or a fresh fetch. */
async function livePolicy(ctx: TransportContext, answer: Answer, cached: CachedPolicy | null): Promise<Live> {
  const failed = (result: MtaStsLive): Live => ({ ok: false, result });
  if (answer.kind === 'error') return failed({ status: 'error', reason: 'mta-sts-lookup-failed', detail: answer.detail });
  // RFC 8461 §3.1: records not beginning with "v=STSv1;" are discarded; not exactly one = no policy.
  const records = answer.kind === 'records' ? readTxt(answer.records).filter(isStsRecord) : [];
  const record = records[0];
  if (record === undefined) return failed({ status: 'absent' });
  if (records.length > 1) return failed({ status: 'invalid', reason: 'mta-sts-txt-multiple', detail: `${records.length} v=STSv1 records` });
  const txt = parseStsTxt(record);
  if (!txt.ok) return failed({ status: 'invalid', reason: txt.reason, detail: showTxt(record) });

  // RFC 8461 §5.1: a cached policy stays good until max_age, unless the TXT id changes.
  if (cached !== null && cached.id === txt.id) return { ok: true, id: txt.id, policy: cached.policy, fromCache: true };
  const fetched = await fetchPolicy(ctx);
  if (!fetched.ok) return fetched;
  await writeCache(ctx, { id: txt.id, policy: fetched.policy, expiresAt: ctx.platform.now() + fetched.policy.maxAge * 1000 });
  return { ok: true, id: txt.id, policy: fetched.policy, fromCache: false };
}

type Fetched = { ok: true; policy: StsPolicy } | { ok: false; result: MtaStsLive };

/** RFC 8461 §3.3: HTTPS GET of the well-known URL, valid certificate, no redirects, text/plain. */
async function fetchPolicy(ctx: TransportContext): Promise<Fetched> {
  const url = policyUrl(ctx.domain);
  const fail = (status: 'invalid' | 'error', reason: MtaStsReason, detail: string): Fetched => ({
    ok: false,
    result: { status, reason, detail },
  });
  const signal = ctx.platform.timeout(ctx.options.timeoutMs);
  let bytes: Uint8Array;
  try {
    const response = await ctx.platform.fetchPolicy(url, {
      method: 'GET',
      headers: { accept: 'text/plain' },
      signal,
      redirect: 'manual',
      maxBytes: POLICY_MAX_OCTETS,
    });
    if (response.status === 0 || (response.status >= 300 && response.status < 400)) {
      return fail('invalid', 'mta-sts-redirect', `${url} answered with a redirect (${response.status || 'opaque'})`);
    }
    if (response.status !== 200) return fail('invalid', 'mta-sts-http-status', `${url} answered HTTP ${response.status}`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'text/plain') return fail('invalid', 'mta-sts-content-type', `${url} is ${JSON.stringify(type)}, not text/plain`);
    if (Number(response.headers.get('content-length') ?? 0) > POLICY_MAX_OCTETS)
      return fail('invalid', 'mta-sts-too-large', `${url} is over ${POLICY_MAX_OCTETS} octets`);
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

/** The unexpired cached policy of the domain, whatever its id; storage is read defensively. */
async function readCache(ctx: TransportContext): Promise<CachedPolicy | null> {
  const entry = await ctx.platform.storage?.get(`${MTA_STS_PREFIX}${ctx.domain}`);
  if (!isCachedPolicy(entry) || ctx.platform.now() >= entry.expiresAt) return null;
  return entry;
}

function isCachedPolicy(value: unknown): value is CachedPolicy {
  const entry = value as Partial<CachedPolicy> | null | undefined;
  const policy = entry?.policy as Partial<StsPolicy> | undefined;
  return typeof entry?.id === 'string' && typeof entry.expiresAt === 'number' && typeof policy === 'object' && policy !== null
    && (policy.mode === 'enforce' || policy.mode === 'testing' || policy.mode === 'none') && typeof policy.maxAge === 'number'
    && Array.isArray(policy.mx) && policy.mx.every((p) => typeof p === 'string');
}

async function writeCache(ctx: TransportContext, entry: CachedPolicy): Promise<void> {
  const storage = ctx.platform.storage;
  if (entry.policy.maxAge > 0 && storage !== undefined) await putCacheEntry(storage, `${MTA_STS_PREFIX}${ctx.domain}`, entry);
}
