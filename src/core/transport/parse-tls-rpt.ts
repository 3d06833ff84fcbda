// TLS-RPT policy record syntax (RFC 8460 §3): `v=TLSRPTv1; rua=<mailto: or https: URI>[, …]`.
import { parseHostname } from '../address/parse-hostname.ts';
import type { TlsRptReason } from '../reasons.ts';
import { EXT_NAME, EXT_VALUE, splitFields, WSP } from './record-fields.ts';

const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/; // RFC 5322 §3.2.3 atext
const PATH = /^(?:[/?][\x21-\x7e]*)?$/;

/** RFC 8460 §3: only records beginning with "v=TLSRPTv1" count. */
export function isTlsRptRecord(text: string): boolean {
  return /^v=TLSRPTv1[ \t]*(?:;|$)/.test(text);
}

export type TlsRptResult = { ok: true; rua: string[] } | { ok: false; reason: TlsRptReason; uri?: string };

/** Parses one record given as an octet string (see read-txt.ts). */
export function parseTlsRpt(text: string): TlsRptResult {
  const fields = splitFields(text);
  if (fields === null || fields[0] !== 'v=TLSRPTv1') return { ok: false, reason: 'tls-rpt-syntax' };
  let rua: string[] | undefined;
  for (const field of fields.slice(1)) {
    const eq = field.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'tls-rpt-syntax' };
    const name = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (name === 'rua') {
      if (rua !== undefined) return { ok: false, reason: 'tls-rpt-syntax' };
      rua = value.split(',').map((u) => u.replace(WSP, '')); // RFC 8460 §3: *WSP "," *WSP
      const bad = rua.find((uri) => !isReportUri(uri));
      if (bad !== undefined) return { ok: false, reason: 'tls-rpt-bad-uri', uri: bad };
    } else if (!EXT_NAME.test(name) || !EXT_VALUE.test(value)) {
      return { ok: false, reason: 'tls-rpt-syntax' };
    }
  }
  return rua === undefined || rua.length === 0 ? { ok: false, reason: 'tls-rpt-no-rua' } : { ok: true, rua };
}

/** RFC 8460 §3: a `mailto:` (RFC 6068) with one address, or an `https:` URL on a host name. */
function isReportUri(uri: string): boolean {
  if (uri.startsWith('mailto:')) {
    const address = percentDecode(uri.slice('mailto:'.length));
    const at = address?.lastIndexOf('@') ?? -1;
    if (address === null || at <= 0 || address.includes('?')) return false;
    const local = address.slice(0, at);
    return local.split('.').every((atom) => ATOM.test(atom)) && parseHostname(address.slice(at + 1)).ok;
  }
  const https = /^https:\/\/([^/?#:@]+)(?::([0-9]{1,5}))?(.*)$/.exec(uri);
  if (https === null) return false;
  const [, host = '', port, rest = ''] = https;
  return (
    parseHostname(host).ok &&
    !host.endsWith('.') &&
    (port === undefined || (Number(port) > 0 && Number(port) < 65536)) &&
    PATH.test(rest) &&
    !rest.includes('#')
  );
}

function percentDecode(text: string): string | null {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return null;
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
