// A strict structural pass over a DNS message (RFC 1035 §4.1), run before dns-packet reads it.
// dns-packet trusts lengths and counts; this pass refuses what it would silently misread.

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, DNAME: 39, OPT: 41, TLSA: 52 } as const;
export const CLASS_IN = 1;
const HEADER_OCTETS = 12; // RFC 1035 §4.1.1
export const MAX_MESSAGE_OCTETS = 65535; // RFC 8484 §6: a DoH message is at most 65535 octets
const MAX_WIRE_NAME_OCTETS = 255; // RFC 1035 §3.1
const MAX_TTL = 604800; // RFC 8767 §4: cap TTLs at 7 days

export interface WalkedRecord {
  /** Owner name in presentation form: lowercase, no trailing dot, root as '.', odd bytes as \DDD. */
  readonly name: string;
  readonly type: number;
  readonly klass: number;
  /** RFC 2181 §8: a TTL with the top bit set is read as 0; capped per RFC 8767. */
  readonly ttl: number;
  /** The names inside RDATA (CNAME target, MX exchange, SRV target), in presentation form. */
  readonly rdataName?: string;
  /** Where RDATA starts in the message and how long RDLENGTH says it is: the record's only bounds. */
  readonly rdataOffset: number;
  readonly rdlength: number;
}

export interface WalkedMessage {
  readonly id: number;
  readonly qr: boolean;
  readonly opcode: number;
  readonly tc: boolean;
  readonly ad: boolean;
  readonly rcode: number;
  readonly question: { readonly name: string; readonly type: number; readonly klass: number } | null;
  readonly qdcount: number;
  readonly answers: readonly WalkedRecord[];
  readonly authorityCount: number;
  readonly additionalCount: number;
}

export type WalkResult = { ok: true; message: WalkedMessage } | { ok: false; detail: string };

class WalkError extends Error {}

/** Walks every byte of `bytes`; any inconsistency is a WalkError detail, never a partial result. */
export function walkMessage(bytes: Uint8Array): WalkResult {
  try {
    return { ok: true, message: walk(bytes) };
  } catch (error) {
    if (error instanceof WalkError) return { ok: false, detail: error.message };
    throw error;
  }
}

function walk(bytes: Uint8Array): WalkedMessage {
  if (bytes.length < HEADER_OCTETS) throw new WalkError(`message of ${bytes.length} octets is shorter than a header`);
  if (bytes.length > MAX_MESSAGE_OCTETS) throw new WalkError(`message of ${bytes.length} octets exceeds 65535`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint16(2);
  const qdcount = view.getUint16(4);
  const counts = [view.getUint16(6), view.getUint16(8), view.getUint16(10)] as const;
  let pos = HEADER_OCTETS;

  let question: WalkedMessage['question'] = null;
  for (let i = 0; i < qdcount; i++) {
    const name = readName(bytes, pos, bytes.length);
    pos = need(bytes, name.end, 4);
    question ??= { name: name.text, type: view.getUint16(name.end), klass: view.getUint16(name.end + 2) };
  }

  const answers: WalkedRecord[] = [];
  let optSeen = false;
  for (const [section, count] of counts.entries()) {
    for (let i = 0; i < count; i++) {
      const owner = readName(bytes, pos, bytes.length);
      const fixed = owner.end;
      pos = need(bytes, fixed, 10);
      const type = view.getUint16(fixed);
      const klass = view.getUint16(fixed + 2);
      const rawTtl = view.getUint32(fixed + 4);
      const rdlength = view.getUint16(fixed + 8);
      const rdEnd = need(bytes, pos, rdlength);
      if (type === TYPE.OPT) {
        // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
        if (section !== 2 || optSeen || owner.text !== '.') throw new WalkError('misplaced or repeated OPT record');
        optSeen = true;
      }
      const rdataName = checkRdata(bytes, view, type, pos, rdEnd);
      pos = rdEnd;
      if (section === 0) {
        const ttl = rawTtl > 0x7fffffff ? 0 : Math.min(rawTtl, MAX_TTL);
        const record = { name: owner.text, type, klass, ttl, rdataOffset: rdEnd - rdlength, rdlength };
        answers.push(rdataName === undefined ? record : { ...record, rdataName });
      }
    }
  }
  if (pos !== bytes.length) throw new WalkError(`${bytes.length - pos} octets after the last record`);
  return {
    id: view.getUint16(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    tc: (flags & 0x0200) !== 0,
    ad: (flags & 0x0020) !== 0,
    rcode: flags & 0xf,
    question,
    qdcount,
    answers,
    authorityCount: counts[1],
    additionalCount: counts[2],
  };
}

/** Checks that `length` octets from `pos` lie inside the message; returns the end offset. */
function need(bytes: Uint8Array, pos: number, length: number): number {
  if (pos + length > bytes.length) throw new WalkError(`record runs ${pos + length - bytes.length} octets past the end`);
  return pos + length;
}

/** The RDATA of the types we read must be exactly as long as its RDLENGTH says (RFC 1035 §3.3). */
function checkRdata(bytes: Uint8Array, view: DataView, type: number, start: number, end: number): string | undefined {
  const length = end - start;
  const exact = (expected: number, what: string): void => {
    if (length !== expected) throw new WalkError(`${what} RDATA of ${length} octets, expected ${expected}`);
  };
  const nameFilling = (offset: number, what: string): string => {
    if (offset > end) throw new WalkError(`${what} RDATA shorter than its fixed part`);
    const name = readName(bytes, offset, end);
    if (name.end !== end) throw new WalkError(`${what} RDATA length ${length} does not match its content`);
    return name.text;
  };
  switch (type) {
    case TYPE.A: exact(4, 'A'); return undefined;
    case TYPE.AAAA: exact(16, 'AAAA'); return undefined;
    case TYPE.CNAME: case TYPE.NS: case TYPE.PTR: case TYPE.DNAME: return nameFilling(start, 'name');
    case TYPE.MX: return nameFilling(start + 2, 'MX');
    case TYPE.SRV: return nameFilling(start + 6, 'SRV');
    case TYPE.SOA: {
      const mname = readName(bytes, start, end);
      const rname = readName(bytes, mname.end, end);
      exact(rname.end - start + 20, 'SOA');
      return undefined;
    }
    case TYPE.TXT: {
      // RFC 1035 §3.3.14: one or more <character-string>s filling RDATA exactly.
      if (length === 0) throw new WalkError('empty TXT RDATA');
      let p = start;
      while (p < end) p += 1 + (bytes[p] ?? 0);
      if (p !== end) throw new WalkError('TXT string runs past its RDATA');
      return undefined;
    }
    case TYPE.TLSA: {
      // RFC 6698 §2.1: usage, selector, matching type, then the data; SHA-256/512 have fixed sizes.
      if (length < 4) throw new WalkError('TLSA RDATA too short');
      const matching = bytes[start + 2];
      if (matching === 1) exact(3 + 32, 'TLSA SHA-256');
      if (matching === 2) exact(3 + 64, 'TLSA SHA-512');
      return undefined;
    }
    case TYPE.OPT: {
      // RFC 6891 §6.1.2: {code, length, data} options filling RDATA exactly.
      let p = start;
      while (p < end) {
        if (p + 4 > end) throw new WalkError('OPT option header cut short');
        p += 4 + view.getUint16(p + 2);
      }
      if (p !== end) throw new WalkError('OPT option runs past its RDATA');
      return undefined;
    }
    default:
      return undefined;
  }
}

interface ReadName { readonly text: string; readonly end: number }

/**
 * Reads a possibly compressed name at `offset` whose uncompressed part must end by `limit`.
 * RFC 1035 §4.1.4 pointers must point strictly before the segment they continue, so reading
 * always terminates; label types 01/10 (RFC 6891 §5) are refused.
 */
function readName(bytes: Uint8Array, offset: number, limit: number): ReadName {
  const labels: string[] = [];
  let wireLength = 1;
  let pos = offset;
  let segmentStart = offset;
  let end = -1;
  let bound = limit;
  for (;;) {
    if (pos >= bound) throw new WalkError('name runs past its bounds');
    const len = bytes[pos] ?? 0;
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= bound) throw new WalkError('compression pointer cut short');
      const target = ((len & 0x3f) << 8) | (bytes[pos + 1] ?? 0);
      if (target >= segmentStart) throw new WalkError('compression pointer does not point backwards');
      if (end < 0) end = pos + 2;
      pos = target;
      segmentStart = target;
      bound = bytes.length;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new WalkError('unsupported label type');
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    wireLength += len + 1;
    if (wireLength > MAX_WIRE_NAME_OCTETS) throw new WalkError('name longer than 255 octets');
    if (pos + 1 + len > bound) throw new WalkError('label runs past its bounds');
    labels.push(presentLabel(bytes.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  return { text: labels.length === 0 ? '.' : labels.join('.'), end };
}

/** Lowercase LDH, `_` and `*` stay as they are; every other octet becomes \DDD (RFC 4343 §2.1). */
function presentLabel(label: Uint8Array): string {
  let text = '';
  for (const octet of label) {
    const lower = octet >= 0x41 && octet <= 0x5a ? octet + 0x20 : octet;
    const plain =
      (lower >= 0x61 && lower <= 0x7a) || (lower >= 0x30 && lower <= 0x39) || lower === 0x2d || lower === 0x5f || lower === 0x2a;
    text += plain ? String.fromCharCode(lower) : `\\${String(octet).padStart(3, '0')}`;
  }
  return text;
}
