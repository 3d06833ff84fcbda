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

  let decoded: packet.Packet;
  try {
    decoded = packet.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    return malformed(`dns-packet: ${error instanceof Error ? error.message : String(error)}`);
  }
  const consumed = (packet.decode as unknown as { bytes: number }).bytes;
  if (consumed !== bytes.length) return malformed(`decoder read ${consumed} of ${bytes.length} octets`);
  const answers = decoded.answers ?? [];
  if (answers.length !== m.answers.length) return malformed('answer count disagrees with the decoder');

  const records: ResourceRecord[] = [];
  for (const [i, walkedRecord] of m.answers.entries()) {
    const data = recordData(walkedRecord, answers[i]);
    if (typeof data === 'string') return malformed(data);
    if (walkedRecord.klass === CLASS_IN) records.push({ name: walkedRecord.name, ttl: walkedRecord.ttl, data });
  }
  return { ok: true, response: { rcode: m.rcode, ad: m.ad, answers: records } };
}

function malformed(detail: string): DecodeResult {
  return { ok: false, reason: 'malformed-response', detail };
}

/** Our typed view of one answer: numbers from dns-packet, names from the strict walk. */
function recordData(walked: WalkedRecord, decoded: packet.Answer | undefined): RecordData | string {
  const data = (decoded as { data?: unknown } | undefined)?.data as Record<string, unknown> | undefined;
  const num = (key: string): number => (typeof data?.[key] === 'number' ? (data[key] as number) : Number.NaN);
  const name = walked.rdataName ?? '';
  switch (walked.type) {
    case TYPE.SRV: {
      const srv = { type: 'SRV', priority: num('priority'), weight: num('weight'), port: num('port'), target: name } as const;
      return [srv.priority, srv.weight, srv.port].every(Number.isInteger) ? srv : 'SRV fields unreadable';
    }
    case TYPE.CNAME: return { type: 'CNAME', target: name };
    case TYPE.MX: {
      const preference = num('preference');
      return Number.isInteger(preference) ? { type: 'MX', preference, exchange: name } : 'MX fields unreadable';
    }
    case TYPE.TXT: {
      const strings = (decoded as { data?: unknown }).data;
      if (!Array.isArray(strings) || !strings.every((s) => s instanceof Uint8Array)) return 'TXT strings unreadable';
      return { type: 'TXT', strings: strings.map((s: Uint8Array) => new Uint8Array(s)) };
    }
    case TYPE.TLSA: {
      const tlsa = data as { usage?: unknown; selector?: unknown; matchingType?: unknown; certificate?: unknown } | undefined;
      if (!(tlsa?.certificate instanceof Uint8Array)) return 'TLSA fields unreadable';
      return { type: 'TLSA', usage: num('usage'), selector: num('selector'), matchingType: num('matchingType'), data: new Uint8Array(tlsa.certificate) };
    }
    case TYPE.A: case TYPE.AAAA: {
      const address = (decoded as { data?: unknown }).data;
      return typeof address === 'string' ? { type: walked.type === TYPE.A ? 'A' : 'AAAA', address } : 'address unreadable';
    }
    default: return { type: 'other', code: walked.type };
  }
}
