// TXT RDATA as text: the strings of one record joined (RFC 7208 §3.3 style, as RFC 8461 §3.1 and
// RFC 8460 §3 expect), octets outside printable ASCII kept visible as \DDD so nothing hides.
import type { ResourceRecord } from '../dns/wire.ts';

export function readTxt(records: readonly ResourceRecord[]): string[] {
  return records.flatMap((r) => (r.data.type === 'TXT' ? [r.data.strings.map(asText).join('')] : []));
}

function asText(octets: Uint8Array): string {
  let text = '';
  for (const o of octets) text += o >= 0x20 && o < 0x7f && o !== 0x5c ? String.fromCharCode(o) : `\\${String(o).padStart(3, '0')}`;
  return text;
}
