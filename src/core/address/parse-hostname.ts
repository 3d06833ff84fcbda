// Host-name syntax for names we query or connect to: RFC 1035 §2.3.1 LDH labels, RFC 1123 §2.1.
import type { AddressReason } from '../reasons.ts';

/** A lowercase, dot-free-at-end, LDH host name that passed parseHostname. */
export type Hostname = string & { readonly brand: 'Hostname' };

export const MAX_LABEL_OCTETS = 63; // RFC 1035 §2.3.4
export const MAX_NAME_OCTETS = 253; // RFC 1035 §2.3.4: 255 on the wire = 253 in text

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const ALL_NUMERIC = /^[0-9]+$/;
// RFC 3696 §2: a TLD is never all-numeric; hex-looking last labels are what URL parsers read as IPv4.
const NUMERIC_LOOKING = /^(?:[0-9]+|0x[0-9a-f]*)$/;

export type HostnameResult = { ok: true; hostname: Hostname } | { ok: false; reason: AddressReason };

/** Checks an ASCII host name; the caller has already done IDNA. */
export function parseHostname(text: string): HostnameResult {
  let name = text.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1); // RFC 1034 §3.1: absolute form, same name
  if (name === '') return { ok: false, reason: 'address-empty-domain' };
  if (name.length > MAX_NAME_OCTETS) return { ok: false, reason: 'domain-too-long' };
  const labels = name.split('.');
  for (const label of labels) {
    if (label === '') return { ok: false, reason: 'domain-empty-label' };
    if (label.length > MAX_LABEL_OCTETS) return { ok: false, reason: 'domain-label-too-long' };
    if (!/^[a-z0-9-]+$/.test(label)) return { ok: false, reason: 'domain-invalid-characters' };
    if (!LDH_LABEL.test(label)) return { ok: false, reason: 'domain-label-hyphen' };
  }
  const last = labels[labels.length - 1] ?? '';
  if (labels.length === 1) {
    return { ok: false, reason: ALL_NUMERIC.test(last) ? 'domain-numeric' : 'domain-single-label' };
  }
  if (NUMERIC_LOOKING.test(last)) return { ok: false, reason: 'domain-numeric' };
  return { ok: true, hostname: name as Hostname };
}
