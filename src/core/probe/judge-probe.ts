// What one server's probe proved (RFC 6186 §6, RFC 6125 §6, RFC 7673 §3): the result each setting carries.
import type { ProbeReason } from '../reasons.ts';
import type { DaneResult } from '../transport/dane.ts';
import type { TlsFacts } from './connection.ts';
import { matchDane, type DaneMatch, type Digest } from './match-dane.ts';
import { namesDomain, namesTarget } from './match-name.ts';
import type { RawProbe } from './probe-server.ts';
import { readCertificate } from './read-certificate.ts';

export interface CertificateSummary {
  /** The platform validated the chain and the host name; a user's certificate exception does not count. */
  readonly valid: boolean;
  readonly namesTarget: boolean;
  readonly namesDomain: boolean;
  /** ISO 8601, UTC. */
  readonly notAfter: string;
  readonly issuer: string;
}

export interface ServerProbe {
  readonly status: 'ok' | 'failed';
  readonly tlsVersion: string | null;
  readonly certificate: CertificateSummary | null;
  readonly starttls: 'offered' | 'missing' | null;
  readonly auth: readonly string[];
  readonly dane: DaneMatch;
  readonly reason?: ProbeReason;
  readonly detail?: string;
}

/** A chain this large is hostile: real chains are a few KiB, and OpenSSL's own default limit is 100 KiB. */
export const MAX_CHAIN_OCTETS = 100 * 1024;

export interface JudgeContext {
  readonly hostname: string;
  readonly domain: string;
  /** The SRV label, e.g. `_imaps._tcp`: its service is what an SRV-ID names (RFC 4985 §2). */
  readonly service: string;
  readonly now: number;
  readonly digest?: Digest;
}

export async function judgeProbe(raw: RawProbe, tlsa: DaneResult | null, ctx: JudgeContext): Promise<ServerProbe> {
  const { tls, starttls, auth } = raw.learnt;
  const base = { tlsVersion: tls?.version ?? null, starttls, auth };
  const noDane: DaneMatch = tlsa === null || tlsa.status === 'absent' || tlsa.status === 'invalid' ? 'absent' : 'insecure';
  const none = { ...base, certificate: null, dane: noDane };
  if (tls === null) return fail(raw.ok ? 'probe-tls-failed' : raw.reason, raw.ok ? 'no TLS' : raw.detail, none);
  const size = tls.chain.reduce((sum, c) => sum + c.length, 0);
  if (size > MAX_CHAIN_OCTETS) return fail('probe-chain-too-large', `${size} octets`, none);
  const parsed = tls.chain.map((der) => readCertificate(der));
  const leaf = parsed[0];
  if (leaf === undefined || !leaf.ok) {
    return fail('probe-certificate-unreadable', leaf === undefined ? 'no certificate' : leaf.detail, none);
  }
  const service = ctx.service.split('.')[0]!.replace(/^_/, '');
  const certificate: CertificateSummary = {
    valid: tls.authorized && !tls.userException,
    namesTarget: namesTarget(leaf.value, ctx.hostname),
    namesDomain: namesDomain(leaf.value, ctx.domain, service),
    notAfter: leaf.value.notAfter.iso,
    issuer: leaf.value.issuer,
  };
  const spkis = parsed.map((p) => (p.ok ? p.value.spki : null));
  const dane = await matchDane(tlsa, { certificates: tls.chain, spkis }, certificate.valid, ctx.digest);
  const result = { ...base, certificate, dane };
  if (dane === 'mismatch') return fail('probe-dane-mismatch', 'no TLSA record matches the chain presented', result);
  // RFC 7671 §5.1: a DANE-EE match stands in for PKIX validation; otherwise the certificate must validate. Judged
  // before the dialogue's own failure: a TLS stack that refused the certificate (Thunderbird) cuts the dialogue short.
  if (!certificate.valid && dane !== 'valid') {
    return fail(certificateReason(tls, leaf.value.notAfter.ms, certificate, ctx.now), tls.error ?? '', result);
  }
  if (!raw.ok) return fail(raw.reason, raw.detail, result);
  return { status: 'ok', ...result };
}

/** Why a certificate did not validate, from its own facts first, so every platform names it the same way. */
function certificateReason(tls: TlsFacts, notAfter: number, certificate: CertificateSummary, now: number): ProbeReason {
  if (notAfter < now) return 'probe-certificate-expired';
  if (!certificate.namesTarget) return 'probe-certificate-name';
  if (tls.userException) return 'probe-certificate-exception';
  return 'probe-certificate-untrusted';
}

function fail(reason: ProbeReason, detail: string, result: Omit<ServerProbe, 'status' | 'reason' | 'detail'>): ServerProbe {
  return { status: 'failed', ...result, reason, ...(detail === '' ? {} : { detail }) };
}
