// The one adapter around dns-packet (RFC 1035 wire format): queries out, strictly checked answers in.
import { Buffer } from 'buffer';
import * as packet from 'dns-packet';
import { CLASS_IN, TYPE, walkMessage, type WalkedRecord } from './walk-message.ts';

export type RecordType = 'SRV' | 'TXT' | 'MX' | 'TLSA' | 'CNAME' | 'A' | 'AAAA';

export interface Question {
  /** Lowercase, no trailing dot; LDH labels plus `_` service labels. */
  readonly name: string;
  readonly type: RecordType;
}

export type RecordData =
  | { readonly type: 'SRV'; readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }
  | { readonly type: 'CNAME'; readonly target: string }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string }
  | { readonly type: 'TXT'; readonly strings: readonly Uint8Array[] }
  | { readonly type: 'TLSA'; readonly usage: number; readonly selector: number; readonly matchingType: number; readonly data: Uint8Array }
  | { readonly type: 'A' | 'AAAA'; readonly address: string }
  | { readonly type: 'other'; readonly code: number };

export interface ResourceRecord {
  readonly name: string;
  readonly ttl: number;
  readonly data: RecordData;
}

export interface DnsResponse {
  readonly rcode: number;
  /** RFC 4035 §3.2.3: the resolver validated every record in the answer. */
  readonly ad: boolean;
  readonly answers: readonly ResourceRecord[];
}

export type DecodeResult =
  | { ok: true; response: DnsResponse }
  | { ok: false; reason: 'malformed-response' | 'question-mismatch' | 'truncated'; detail: string };

const PADDING_BLOCK = 128; // RFC 8467 §4.1: pad queries to a multiple of 128 octets
const PADDING_OPTION_HEADER = 4;
const QUERY_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$/;

/** True when dns-packet would put exactly these labels on the wire (its encoder does not check). */
export function isEncodableName(name: string): boolean {
  return name.length <= 253 && QUERY_NAME.test(name);
}

/**
 * A query with ID 0 (RFC 8484 §4.1), RD, and an EDNS0 OPT with DO (RFC 3225 §3) so the resolver
 * reports validation in AD; padded per RFC 8467 when `pad` is set.
 */
export function encodeQuery(question: Question, pad: boolean): Uint8Array {
  // Our callers only build names from checked Hostnames: a bad one here is a bug, not input.
  if (!isEncodableName(question.name)) throw new RangeError(`refusing to encode query name ${JSON.stringify(question.name)}`);
  const build = (padding: number): Buffer => packet.encode({
    type: 'query',
    id: 0,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type: question.type, class: 'IN', name: question.name }],
    additionals: [{
      type: 'OPT',
      name: '.',
      udpPayloadSize: 4096,
      flags: packet.DNSSEC_OK,
      options: padding < 0 ? [] : [{ code: 'PADDING', length: padding } as unknown as packet.PacketOpt],
    } as unknown as packet.Answer],
  });
  if (!pad) return new Uint8Array(build(-1));
  const unpadded = build(-1).length + PADDING_OPTION_HEADER;
  return new Uint8Array(build((PADDING_BLOCK - (unpadded % PADDING_BLOCK)) % PADDING_BLOCK));
}

/** Decodes a response to `question`; anything dns-packet would misread is refused with a detail. */
export function decodeResponse(bytes: Uint8Array, question: Question): DecodeResult {
  const walked = walkMessage(bytes);
  if (!walked.ok) return malformed(walked.detail);
  const m = walked.message;
  if (!m.qr) return malformed('QR bit not set');
  if (m.id !== 0) return malformed(`message ID ${m.id}, expected 0`); // RFC 8484 §4.1
  if (m.opcode !== 0) return malformed(`opcode ${m.opcode}`);
  if (m.tc) return { ok: false, reason: 'truncated', detail: 'TC bit set' };
  if (m.qdcount !== 1 || m.question === null) return malformed(`QDCOUNT ${m.qdcount}, expected 1`);
  const q = m.question;
  if (q.name !== question.name || q.type !== TYPE[question.type] || q.klass !== CLASS_IN) {
    return { ok: false, reason: 'question-mismatch', detail: `answer is for ${q.name} type ${q.type}` };
  }

  const records: ResourceRecord[] = [];
  for (const walkedRecord of m.answers) {
    const data = recordData(bytes, walkedRecord);
    if (typeof data === 'string') return malformed(data);
    if (walkedRecord.klass === CLASS_IN) records.push({ name: walkedRecord.name, ttl: walkedRecord.ttl, data });
  }
  return { ok: true, response: { rcode: m.rcode, ad: m.ad, answers: records } };
}

function malformed(detail: string): DecodeResult {
  return { ok: false, reason: 'malformed-response', detail };
}

type RdataDecoder = { decode: ((buf: Buffer, offset: number) => unknown) & { bytes: number } };
type Rdata = { ok: true; value: unknown; fields: Readonly<Record<string, unknown>> } | { ok: false; detail: string };

/**
 * dns-packet's decoder for one record's RDATA, run where the walk found it and on the message cut at
 * the record's end (RFC 1035 §4.1.4 pointers only point back), so no decoder can read across records
 * (some, HINFO's among them, advance by what they parsed, not by RDLENGTH); it must read all of it.
 */
function decodeRdata(bytes: Uint8Array, walked: WalkedRecord, type: RecordType): Rdata {
  const decoder = (packet as unknown as { record: (type: string) => RdataDecoder }).record(type);
  let value: unknown;
  try {
    value = decoder.decode(Buffer.from(bytes.buffer, bytes.byteOffset, walked.rdataOffset + walked.rdlength), walked.rdataOffset - 2);
  } catch (error) {
    return { ok: false, detail: `dns-packet: ${error instanceof Error ? error.message : String(error)}` };
  }
  const read = decoder.decode.bytes - 2;
  if (read !== walked.rdlength) return { ok: false, detail: `${type} decoder read ${read} of ${walked.rdlength} RDATA octets` };
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return { ok: true, value, fields };
}

/** Our typed view of one answer: numbers from its own RDATA via dns-packet, names from the strict walk. */
function recordData(bytes: Uint8Array, walked: WalkedRecord): RecordData | string {
  const name = walked.rdataName ?? '';
  const num = (r: { fields: Readonly<Record<string, unknown>> }, key: string): number => {
    const value = r.fields[key];
    return typeof value === 'number' ? value : Number.NaN;
  };
  switch (walked.type) {
    case TYPE.SRV: {
      const r = decodeRdata(bytes, walked, 'SRV');
      if (!r.ok) return r.detail;
      const srv = { type: 'SRV', priority: num(r, 'priority'), weight: num(r, 'weight'), port: num(r, 'port'), target: name } as const;
      return [srv.priority, srv.weight, srv.port].every(Number.isInteger) ? srv : 'SRV fields unreadable';
    }
    case TYPE.CNAME: return { type: 'CNAME', target: name };
    case TYPE.MX: {
      const r = decodeRdata(bytes, walked, 'MX');
      if (!r.ok) return r.detail;
      const preference = num(r, 'preference');
      return Number.isInteger(preference) ? { type: 'MX', preference, exchange: name } : 'MX fields unreadable';
    }
    case TYPE.TXT: {
      const r = decodeRdata(bytes, walked, 'TXT');
      if (!r.ok) return r.detail;
      const strings = r.value;
      if (!Array.isArray(strings) || !strings.every((s) => s instanceof Uint8Array)) return 'TXT strings unreadable';
      // The raw octets of each <character-string> (RFC 1035 §3.3.14), copied out of the message.
      return { type: 'TXT', strings: strings.map((s: Uint8Array) => new Uint8Array(s)) };
    }
    case TYPE.TLSA: {
      const r = decodeRdata(bytes, walked, 'TLSA');
      if (!r.ok) return r.detail;
      const certificate = r.fields['certificate'];
      if (!(certificate instanceof Uint8Array)) return 'TLSA fields unreadable';
      const [usage, selector, matchingType] = [num(r, 'usage'), num(r, 'selector'), num(r, 'matchingType')];
      return { type: 'TLSA', usage, selector, matchingType, data: new Uint8Array(certificate) };
    }
    case TYPE.A: case TYPE.AAAA: {
      const type = walked.type === TYPE.A ? 'A' : 'AAAA';
      const r = decodeRdata(bytes, walked, type);
      if (!r.ok) return r.detail;
      return typeof r.value === 'string' ? { type, address: r.value } : 'address unreadable';
    }
    // Types we do not read never reach a decoder: RDLENGTH alone bounds them.
    default: return { type: 'other', code: walked.type };
  }
}
