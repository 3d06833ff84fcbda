// TXT RDATA for the policy-record parsers: the strings of one record joined (RFC 8461 §3.1 and
// RFC 8460 §3 read them as one), one character per octet, so the grammar sees the real bytes.
import type { ResourceRecord } from '../dns/wire.ts';

/** Each TXT record as an octet string: character code = octet value (0–255), nothing decoded. */
export function readTxt(records: readonly ResourceRecord[]): string[] {
  return records.flatMap((r) => (r.data.type === 'TXT' ? [r.data.strings.map(asOctets).join('')] : []));
}

/** An octet string for people: printable ASCII as is, every other octet (and `\`) as \DDD, so nothing hides. */
export function showTxt(octets: string): string {
  let text = '';
  for (const c of octets) {
    const o = c.charCodeAt(0);
    text += o >= 0x20 && o < 0x7f && o !== 0x5c ? c : `\\${String(o).padStart(3, '0')}`;
  }
  return text;
}

function asOctets(octets: Uint8Array): string {
  let text = '';
  for (const o of octets) text += String.fromCharCode(o);
  return text;
}
