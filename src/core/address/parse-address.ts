// Splits and normalises an email address before discovery (docs/discovery.md; RFC 5321 §4.1.2, RFC 6531 §3.3).
import type { Platform } from '../platform.ts';
import type { AddressReason } from '../reasons.ts';
import { parseHostname, type Hostname } from './parse-hostname.ts';

export const MAX_LOCAL_PART_OCTETS = 64; // RFC 5321 §4.5.3.1.1
export const MAX_ADDRESS_OCTETS = 254; // RFC 5321 §4.5.3.1.3: a path of 256 octets, less its angle brackets

export interface EmailAddress {
  /** local-part@domain with the domain in lowercase A-labels. */
  readonly address: string;
  /** The local-part as written (quotes kept). */
  readonly localPart: string;
  /** The local-part without quoting: the mailbox name a server knows (RFC 6186 §4 second try). */
  readonly mailbox: string;
  readonly domain: Hostname;
}

export type AddressResult = { ok: true; value: EmailAddress } | { ok: false; reason: AddressReason };

// RFC 5322 §3.2.3 atext, plus RFC 6531 §3.3 UTF8-non-ascii.
const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10FFFF}-]+$/u;
// RFC 5321 §4.1.2 Quoted-string: qtextSMTP (32-33, 35-91, 93-126) or quoted-pairSMTP (\ 32-126).
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\u{10FFFF}]|\\[\x20-\x7e])*"$/u;
// Before IDNA only LDH, dots and non-ASCII may appear; '/', ':', '%', '@' would steer a URL parser.
const DOMAIN_CHARS = /^[A-Za-z0-9.\u0080-\u{10FFFF}-]+$/u;
const utf8 = new TextEncoder();
// Controls, format characters (bidi overrides, zero-width, BOM) and line/paragraph separators make an
// address read differently from what is stored (Unicode TR 36 §2); RFC 6531 mailboxes never need them.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
// Only ASCII white space is trimmed: anything else stays in the input and is judged.
const OUTER_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;
/** Names that can never be a mail domain: RFC 6761 §6.4, RFC 6762 §3, RFC 7686 §2, RFC 8375 §6. */
export const SPECIAL_USE_DOMAINS = ['localhost', 'invalid', 'local', 'onion', 'home.arpa'] as const;

/** Parses `input` or says precisely why not; nothing is queried for a refused address. */
export function parseAddress(input: string, platform: Pick<Platform, 'toAscii'>): AddressResult {
  const text = input.replace(OUTER_SPACE, '');
  if (text === '') return fail('address-empty');
  const at = text.lastIndexOf('@');
  if (at < 0) return fail('address-missing-at');
  const localPart = text.slice(0, at);
  const rawDomain = text.slice(at + 1);
  if (localPart === '') return fail('address-empty-local-part');
  if (rawDomain === '') return fail('address-empty-domain');

  if (INVISIBLE.test(localPart)) return fail('address-invisible-characters');
  const mailbox = parseLocalPart(localPart);
  if (mailbox === null) return fail('address-local-part-invalid');
  if (utf8.encode(localPart).length > MAX_LOCAL_PART_OCTETS) return fail('address-local-part-too-long');

  const domain = normaliseDomain(rawDomain, platform);
  if (!domain.ok) return domain;
  if (utf8.encode(`${localPart}@${domain.hostname}`).length > MAX_ADDRESS_OCTETS) return fail('address-too-long');
  return {
    ok: true,
    value: { address: `${localPart}@${domain.hostname}`, localPart, mailbox, domain: domain.hostname },
  };
}

function fail(reason: AddressReason): { ok: false; reason: AddressReason } {
  return { ok: false, reason };
}

/** Returns the unquoted mailbox name, or null when the local-part is neither dot-atom nor quoted. */
function parseLocalPart(localPart: string): string | null {
  if (localPart.startsWith('"')) {
    return QUOTED.test(localPart) ? localPart.slice(1, -1).replace(/\\(.)/g, '$1') : null;
  }
  // RFC 5322 §3.2.3 dot-atom: no empty atom, so no leading, trailing or doubled dot.
  return localPart.split('.').every((atom) => ATOM.test(atom)) ? localPart : null;
}

function normaliseDomain(
  raw: string,
  platform: Pick<Platform, 'toAscii'>,
): { ok: true; hostname: Hostname } | { ok: false; reason: AddressReason } {
  if (raw.startsWith('[')) return fail('address-domain-literal'); // RFC 5321 §4.1.3: no SRV for an IP
  if (!DOMAIN_CHARS.test(raw)) return fail('domain-invalid-characters');
  const withoutDot = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (withoutDot.split('.').some((label) => label === '')) return fail('domain-empty-label');
  // ASCII names skip the URL parser, which would turn `127.1` or `0x7f.1` into an IPv4 address.
  const ascii = /^[\x00-\x7f]*$/.test(withoutDot) ? withoutDot : platform.toAscii(withoutDot);
  if (ascii === null || ascii === '') return fail('domain-idna-failed');
  const host = parseHostname(ascii);
  if (host.ok && SPECIAL_USE_DOMAINS.some((d) => host.hostname === d || host.hostname.endsWith(`.${d}`))) return fail('domain-special-use');
  return host;
}
