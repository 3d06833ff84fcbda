// RFC 6125 §6: does a certificate name the service? DNS-IDs with the left-most-label wildcard rule
// (§6.4.3) and SRV-IDs (§6.5.1, RFC 4985, RFC 7817 §3 for the mail services); the CN is never used (RFC 6125 §6.4.4
// lets a client skip it when subjectAltName is present, and RFC 9525 §6.3 drops it).

/** RFC 6125 §6.4.1: DNS names compare case-insensitively, label by label, without a trailing dot. */
const normal = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/**
 * RFC 6125 §6.4.3: `*` only as the whole left-most label, matching exactly one label; never in an
 * internationalised label, and never with fewer than two labels after it (no `*.com`).
 */
export function matchesDnsId(presented: string, reference: string): boolean {
  const p = normal(presented);
  const r = normal(reference);
  if (p.length === 0 || r.length === 0) return false;
  if (!p.startsWith('*.')) return p === r;
  const rest = p.slice(2);
  if (rest.includes('*') || rest.split('.').length < 2) return false;
  const dot = r.indexOf('.');
  if (dot <= 0) return false;
  const first = r.slice(0, dot);
  return !first.startsWith('xn--') && r.slice(dot + 1) === rest;
}

/** RFC 4985 §2 / RFC 6125 §6.5.1: `_service.domain`; both parts compare exactly (no wildcards in SRV-IDs). */
export function matchesSrvId(presented: string, service: string, domain: string): boolean {
  return normal(presented) === `_${service.toLowerCase()}.${normal(domain)}`;
}

export interface PresentedNames {
  readonly dnsNames: readonly string[];
  readonly srvNames: readonly string[];
}

/** The certificate names the host connected to (RFC 6125 §6.2.1: the target of the SRV record). */
export function namesTarget(names: PresentedNames, target: string): boolean {
  return names.dnsNames.some((n) => matchesDnsId(n, target));
}

/**
 * The certificate names the email domain itself (RFC 6186 §6 → RFC 6125 §6.2.1: the source domain as a
 * DNS-ID, or as an SRV-ID for this very service, e.g. `_imaps.example.org` for `_imaps._tcp`).
 */
export function namesDomain(names: PresentedNames, domain: string, service: string): boolean {
  return names.dnsNames.some((n) => matchesDnsId(n, domain)) || names.srvNames.some((n) => matchesSrvId(n, service, domain));
}
