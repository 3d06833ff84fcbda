// DANE for SRV targets (RFC 7673 §3, RFC 7671, RFC 6698 §2.1): the DNSSEC-validated TLSA records the transport
// checks asked, matched against the chain the server presented.
import type { DaneResult, TlsaRecord } from '../transport/dane.ts';

export type DaneMatch = 'valid' | 'mismatch' | 'absent' | 'insecure';

export type Digest = (algorithm: 'SHA-256' | 'SHA-512', data: Uint8Array) => Promise<Uint8Array>;

export interface PresentedChain {
  /** DER, leaf first. */
  readonly certificates: readonly Uint8Array[];
  /** SubjectPublicKeyInfo of each certificate, same order (RFC 6698 §2.1.2 selector 1); null if unreadable. */
  readonly spkis: readonly (Uint8Array | null)[];
}

const DANE_TA = 2; // RFC 7218 §2.1
const DANE_EE = 3;

/**
 * `tlsa`: the transport check's result for this host and port (null when none was asked).
 * RFC 7671 §5.1: DANE-EE(3) pins the leaf itself, whatever its names or dates. RFC 7671 §5.2: DANE-TA(2)
 * names a trust anchor in the chain; the core cannot check the signatures from it down to the leaf, so a
 * DANE-TA match counts only when the platform's own validation also accepted the chain (`chainValidated`).
 */
export async function matchDane(
  tlsa: DaneResult | null,
  chain: PresentedChain,
  chainValidated: boolean,
  digest?: Digest,
): Promise<DaneMatch> {
  if (tlsa === null || tlsa.status === 'absent') return 'absent';
  // RFC 6698 §4.1: records that are all unusable are treated as if there were none.
  if (tlsa.status === 'invalid') return 'absent';
  // RFC 7673 §3: TLSA that is not DNSSEC-validated (or could not be had validated) protects nothing.
  if (tlsa.status !== 'valid') return 'insecure';
  const usable = (tlsa.records ?? []).filter((r) => (r.usage === DANE_EE || r.usage === DANE_TA) && r.selector <= 1 && r.matchingType <= 2);
  if (usable.length === 0) return 'absent';
  for (const record of usable) {
    if (record.usage === DANE_TA && !chainValidated) continue;
    const indices = record.usage === DANE_EE ? [0] : chain.certificates.map((_, i) => i).slice(1);
    for (const i of indices) {
      const data = record.selector === 0 ? chain.certificates[i] : chain.spkis[i];
      if (data !== undefined && data !== null && (await matches(record, data, digest))) return 'valid';
    }
  }
  return 'mismatch';
}

/** RFC 6698 §2.1.3: matching type 0 compares the data itself, 1 its SHA-256, 2 its SHA-512. */
async function matches(record: TlsaRecord, data: Uint8Array, digest: Digest | undefined): Promise<boolean> {
  if (record.matchingType === 0) return hex(data) === record.data.toLowerCase();
  if (digest === undefined) return false;
  const hash = await digest(record.matchingType === 1 ? 'SHA-256' : 'SHA-512', data);
  return hex(hash) === record.data.toLowerCase();
}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += b.toString(16).padStart(2, '0');
  return text;
}
