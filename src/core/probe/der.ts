// A small DER reader (ITU-T X.690 §8, §10): just enough of ASN.1 to read certificate facts. Untrusted
// bytes: every length is checked against what is left, and anything odd is a `malformed` result, never a throw.

export interface DerNode {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  readonly tag: number;
  /** Content octets only. */
  readonly content: Uint8Array;
  /** Identifier, length and content: what a digest of this element covers (RFC 6698 §2.1.2 selectors). */
  readonly whole: Uint8Array;
}

export type DerResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly detail: string };

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tags ([n] in ASN.1), constructed or primitive. */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

/** Reads every element in `bytes` back to back (the content of a SEQUENCE or SET). */
export function readElements(bytes: Uint8Array): DerResult<DerNode[]> {
  const nodes: DerNode[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const read = readElement(bytes, offset);
    if (!read.ok) return read;
    nodes.push(read.value.node);
    offset = read.value.next;
  }
  return { ok: true, value: nodes };
}

/** One element at `offset`; X.690 §10.1: DER uses the definite form with the fewest length octets. */
export function readElement(bytes: Uint8Array, offset: number): DerResult<{ node: DerNode; next: number }> {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) return { ok: false, detail: `truncated element at ${offset}` };
  // X.690 §8.1.2.4: high tag numbers never occur in the certificate fields read here.
  if ((tag & 0x1f) === 0x1f) return { ok: false, detail: `high tag number at ${offset}` };
  let length = first;
  let start = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    // Four length octets (4 GiB) is far beyond any certificate; 0 is the indefinite form, not DER.
    if (count === 0 || count > 4) return { ok: false, detail: `bad length form at ${offset}` };
    length = 0;
    for (let i = 0; i < count; i++) {
      const octet = bytes[start + i];
      if (octet === undefined) return { ok: false, detail: `truncated length at ${offset}` };
      length = length * 256 + octet;
    }
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) return { ok: false, detail: `element at ${offset} runs past the end` };
  return { ok: true, value: { node: { tag, content: bytes.subarray(start, end), whole: bytes.subarray(offset, end) }, next: end } };
}

/** The single element that `bytes` must consist of. */
export function readOne(bytes: Uint8Array): DerResult<DerNode> {
  const read = readElement(bytes, 0);
  if (!read.ok) return read;
  if (read.value.next !== bytes.length) return { ok: false, detail: 'octets after the element' };
  return { ok: true, value: read.value.node };
}

/** X.690 §8.19: an OBJECT IDENTIFIER as dotted text. */
export function readOid(content: Uint8Array): string | null {
  if (content.length === 0) return null;
  const arcs: number[] = [];
  let value = 0;
  for (const [i, octet] of content.entries()) {
    value = value * 128 + (octet & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return null;
    if (octet & 0x80) {
      if (i === content.length - 1) return null;
      continue;
    }
    if (arcs.length === 0) {
      const first = value < 80 ? Math.floor(value / 40) : 2;
      arcs.push(first, value - first * 40);
    } else {
      arcs.push(value);
    }
    value = 0;
  }
  return arcs.join('.');
}

/** Octets as Latin-1 text, in slices: a spread of a huge hostile field would overflow the call stack. */
export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return text;
}

/** The string types a certificate name may use (RFC 5280 §4.1.2.4 DirectoryString, IA5String). */
export function readString(node: DerNode): string | null {
  switch (node.tag) {
    case TAG.UTF8_STRING:
      return new TextDecoder('utf-8', { fatal: false }).decode(node.content);
    case TAG.PRINTABLE_STRING: case TAG.IA5_STRING: case TAG.TELETEX_STRING:
      return latin1(node.content);
    case TAG.BMP_STRING: {
      let text = '';
      for (let i = 0; i + 1 < node.content.length; i += 2) text += String.fromCharCode((node.content[i]! << 8) | node.content[i + 1]!);
      return text;
    }
    case TAG.UNIVERSAL_STRING: {
      let text = '';
      for (let i = 0; i + 3 < node.content.length; i += 4) {
        const cp = ((node.content[i]! << 24) | (node.content[i + 1]! << 16) | (node.content[i + 2]! << 8) | node.content[i + 3]!) >>> 0;
        text += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return text;
    }
    default:
      return null;
  }
}

/**
 * RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ (years 50–99 are 19xx) or GeneralizedTime YYYYMMDDHHMMSSZ,
 * as an ISO 8601 string and milliseconds since the epoch.
 */
export function readTime(node: DerNode): { iso: string; ms: number } | null {
  const text = latin1(node.content);
  const match = node.tag === TAG.UTC_TIME
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
    : node.tag === TAG.GENERALIZED_TIME ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (match === null) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const year = node.tag === TAG.UTC_TIME ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = Date.UTC(year, mo - 1, d, h, mi, s);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return { iso: `${pad(year, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}Z`, ms };
}
