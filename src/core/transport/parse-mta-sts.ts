// MTA-STS syntax (RFC 8461 §3.1 TXT record, §3.2 policy file, §4.1 MX matching), strictly.
import type { MtaStsReason } from '../reasons.ts';
import { EXT_NAME, EXT_VALUE, splitFields, WSP } from './record-fields.ts';

export type StsMode = 'enforce' | 'testing' | 'none';

export interface StsPolicy {
  readonly mode: StsMode;
  /** Seconds (RFC 8461 §3.2: 0..31557600). */
  readonly maxAge: number;
  readonly mx: readonly string[];
}

export const MAX_AGE_LIMIT = 31557600; // RFC 8461 §3.2: about one year
export const POLICY_MAX_OCTETS = 65536; // RFC 8461 §3.3 leaves the limit to senders; 64 KiB
const ID = /^[A-Za-z0-9]{1,32}$/; // RFC 8461 §3.1 sts-id
// RFC 8461 §3.2 sts-policy-ext-value: vchars (ASCII or UTF-8, RFC 3629), joined only by spaces.
const VCHAR = '\\x21-\\x7e\\u0080-\\ud7ff\\ue000-\\u{10ffff}'; // %x21-7E / UTF8-2 / UTF8-3 / UTF8-4
const POLICY_EXT_VALUE = new RegExp(`^[${VCHAR}](?:[ ${VCHAR}]*[${VCHAR}])?$`, 'u');
// RFC 8461 §3.2 sts-policy-mx-value = ["*."] Domain, Domain as in RFC 5321 §4.1.2 (LDH labels,
// a single label or an all-numeric one included), labels ≤ 63 octets (RFC 1035 §2.3.4).
const MX_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const MX_PATTERN = new RegExp(`^(?:\\*\\.)?${MX_LABEL}(?:\\.${MX_LABEL})*$`);
const MAX_NAME_OCTETS = 253; // RFC 1035 §2.3.4: 255 on the wire, 253 written out

/** RFC 8461 §3.1: only records beginning with "v=STSv1;" count. */
export function isStsRecord(text: string): boolean {
  return text.startsWith('v=STSv1;');
}

export type StsTxtResult = { ok: true; id: string } | { ok: false; reason: MtaStsReason };

/** Parses the one remaining `v=STSv1` record (an octet string, see read-txt.ts); its `id` keys policy caching. */
export function parseStsTxt(text: string): StsTxtResult {
  const fields = splitFields(text);
  if (fields === null || fields[0] !== 'v=STSv1' || fields.length < 2) return { ok: false, reason: 'mta-sts-txt-syntax' };
  let id: string | undefined;
  for (const field of fields.slice(1)) {
    const eq = field.indexOf('=');
    const name = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (eq < 0) return { ok: false, reason: 'mta-sts-txt-syntax' };
    if (name === 'id') {
      if (id !== undefined || !ID.test(value)) return { ok: false, reason: 'mta-sts-txt-syntax' };
      id = value;
    } else if (!EXT_NAME.test(name) || !EXT_VALUE.test(value)) {
      return { ok: false, reason: 'mta-sts-txt-syntax' };
    }
  }
  return id === undefined ? { ok: false, reason: 'mta-sts-txt-syntax' } : { ok: true, id };
}

export type StsPolicyResult = { ok: true; policy: StsPolicy } | { ok: false; reason: MtaStsReason; line?: number };

/** RFC 8461 §3.2: `key: value` lines ending in LF or CRLF; unknown keys are ignored. */
export function parseStsPolicy(text: string): StsPolicyResult {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the last line may end with a newline or not
  let version: string | undefined;
  let mode: string | undefined;
  let maxAge: string | undefined;
  const mx: string[] = [];
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const fail = (reason: MtaStsReason): StsPolicyResult => ({ ok: false, reason, line: index + 1 });
    const colon = line.indexOf(':');
    if (colon <= 0) return fail('mta-sts-syntax');
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(WSP, '');
    // Every line is at least an sts-policy-extension; the standard keys' values are checked below.
    if (!EXT_NAME.test(key) || !POLICY_EXT_VALUE.test(value)) return fail('mta-sts-syntax');
    switch (key) {
      case 'version':
        if (version !== undefined) return fail('mta-sts-syntax');
        version = value;
        break;
      case 'mode':
        if (mode !== undefined) return fail('mta-sts-syntax');
        mode = value;
        break;
      case 'max_age':
        if (maxAge !== undefined) return fail('mta-sts-syntax');
        maxAge = value;
        break;
      case 'mx':
        if (!isMxPattern(value)) return fail('mta-sts-mx-pattern');
        mx.push(value.toLowerCase());
        break;
      default:
        break; // RFC 8461 §3.2: extension keys are ignored
    }
  }
  if (version !== 'STSv1') return { ok: false, reason: 'mta-sts-version' };
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') return { ok: false, reason: 'mta-sts-mode' };
  // RFC 8461 §3.2: max_age is 1*10DIGIT, at most 31557600.
  if (maxAge === undefined || !/^[0-9]{1,10}$/.test(maxAge) || Number(maxAge) > MAX_AGE_LIMIT)
    return { ok: false, reason: 'mta-sts-max-age' };
  if (mode !== 'none' && mx.length === 0) return { ok: false, reason: 'mta-sts-mx-missing' };
  return { ok: true, policy: { mode, maxAge: Number(maxAge), mx } };
}

/** RFC 8461 §3.2 sts-policy-mx-value: a domain, optionally with a leading "*." wildcard. */
function isMxPattern(value: string): boolean {
  return MX_PATTERN.test(value) && value.replace(/^\*\./, '').length <= MAX_NAME_OCTETS;
}

/** RFC 8461 §4.1: exact match, or "*." standing for exactly one leftmost label. */
export function mxMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase();
  if (!pattern.startsWith('*.')) return h === pattern;
  const rest = pattern.slice(1); // ".example.com"
  if (!h.endsWith(rest)) return false;
  const label = h.slice(0, -rest.length);
  return label !== '' && !label.includes('.');
}
