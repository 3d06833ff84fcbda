// Generated and mutated DNS responses for the fuzz tests: each case knows its question and, when
// it was left unmutated, exactly which records the message holds.
import { bytes, header, question, rr, srvRdata, u16, wireName } from '../support/wire-builder.ts';
import type { Question } from '../../src/core/dns/wire.ts';

export type Random = () => number;
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (random: Random, n: number): number => Math.floor(random() * n);

export interface FuzzCase {
  readonly kind: string;
  readonly question: Question;
  readonly bytes: Uint8Array;
  /** For unmutated messages: the answers exactly as built, in our decoded shape. */
  readonly expected?: readonly { name: string; ttl: number; data: unknown }[];
}

const TYPES = { SRV: 33, TXT: 16, TLSA: 52, MX: 15, A: 1, CNAME: 5 } as const;
const LABELS = ['imap', 'smtp', 'mail', 'mx1', 'a', 'xn--bcher-kva', 'b-c', '0a'];

function hostname(random: Random): string {
  return [...Array(1 + int(random, 3))].map(() => pick(random, LABELS)).join('.') + '.example.test';
}

/** A well-formed answer to `q` with 0-4 records of its type (and sometimes a CNAME first). */
export function validCase(random: Random): FuzzCase {
  const type = pick(random, ['SRV', 'TXT', 'TLSA', 'MX', 'A'] as const);
  const name = type === 'SRV' ? `_${pick(random, ['imaps', 'submissions', 'pop3'])}._tcp.${hostname(random)}` : hostname(random);
  const q: Question = { name, type };
  const records: number[][] = [];
  const expected: { name: string; ttl: number; data: unknown }[] = [];
  let owner = name;
  let ownerWire = [0xc0, 12]; // compressed pointer to the question name
  if (random() < 0.2) {
    const target = hostname(random);
    records.push(rr(ownerWire, TYPES.CNAME, wireName(target), { ttl: 60 }));
    expected.push({ name: owner, ttl: 60, data: { type: 'CNAME', target } });
    owner = target;
    ownerWire = wireName(target);
  }
  for (let i = int(random, 5); i > 0; i--) {
    const ttl = int(random, 100000);
    let rdata: number[];
    let data: unknown;
    switch (type) {
      case 'SRV': {
        const [p, w, port, target] = [
          int(random, 65536),
          int(random, 65536),
          1 + int(random, 65535),
          random() < 0.1 ? '.' : hostname(random),
        ];
        rdata = srvRdata(p, w, port, wireName(target));
        data = { type, priority: p, weight: w, port, target };
        break;
      }
      case 'TXT': {
        const strings = [...Array(1 + int(random, 3))].map(() => [...Array(int(random, 40))].map(() => 0x20 + int(random, 95)));
        rdata = strings.flatMap((s) => [s.length, ...s]);
        data = { type, strings: strings.map((s) => new Uint8Array(s)) };
        break;
      }
      case 'TLSA': {
        const matchingType = int(random, 3);
        const digest = [...Array(matchingType === 1 ? 32 : matchingType === 2 ? 64 : 1 + int(random, 100))].map(() => int(random, 256));
        const [usage, selector] = [int(random, 4), int(random, 2)];
        rdata = [usage, selector, matchingType, ...digest];
        data = { type, usage, selector, matchingType, data: new Uint8Array(digest) };
        break;
      }
      case 'MX': {
        const [preference, exchange] = [int(random, 65536), hostname(random)];
        rdata = [...u16(preference), ...wireName(exchange)];
        data = { type, preference, exchange };
        break;
      }
      default: {
        const octets = [int(random, 256), int(random, 256), int(random, 256), int(random, 256)];
        rdata = octets;
        data = { type: 'A', address: octets.join('.') };
      }
    }
    records.push(rr(ownerWire, TYPES[type], rdata, { ttl }));
    expected.push({ name: owner, ttl, data });
  }
  const flags = 0x8180 | (random() < 0.5 ? 0x20 : 0);
  const message = [...header({ an: records.length, flags }), ...question(name, TYPES[type]), ...records.flat()];
  return { kind: 'valid', question: q, bytes: bytes(message), expected };
}

/** The named hostile-input mutations (docs/threat-model.md), applied to a valid message. */
export const MUTATIONS: Record<string, (m: number[], random: Random) => number[]> = {
  truncate: (m, r) => m.slice(0, 12 + int(r, Math.max(1, m.length - 12))),
  'junk-after': (m, r) => [...m, ...[...Array(1 + int(r, 20))].map(() => int(r, 256))],
  'flip-bits': (m, r) => m.map((b, i) => (i >= 2 && r() < 3 / m.length ? b ^ (1 << int(r, 8)) : b)),
  'overwrite-bytes': (m, r) => m.map((b, i) => (i >= 12 && r() < 2 / m.length ? int(r, 256) : b)),
  'wrong-counts': (m, r) => {
    const c = [...m];
    c[4 + 2 * int(r, 4) + 1] = int(r, 256);
    return c;
  },
  'qdcount-2': (m) => {
    const c = [...m];
    c[5] = 2;
    return c;
  },
  'tc-set': (m) => {
    const c = [...m];
    c[2]! |= 0x02;
    return c;
  },
  'qr-clear': (m) => {
    const c = [...m];
    c[2]! &= 0x7f;
    return c;
  },
  'id-nonzero': (m, r) => {
    const c = [...m];
    c[1] = 1 + int(r, 255);
    return c;
  },
  'forward-pointer': (m, r) => {
    const c = [...m];
    const at = 12 + int(r, Math.max(1, c.length - 14));
    c[at] = 0xc0 | int(r, 0x40);
    c[at + 1] = int(r, 256);
    return c;
  },
  // One more answer whose owner name is a pointer to itself.
  'pointer-loop': (m) => {
    const c = [...m];
    c[7]! += 1;
    const at = c.length;
    return [...c, 0xc0 | (at >> 8), at & 0xff, ...u16(33), ...u16(1), 0, 0, 0, 60, ...u16(0)];
  },
  'label-over-63': (m, r) => {
    const c = [...m];
    c[12] = 64 + int(r, 64);
    return c;
  },
  'name-over-255': (m) => {
    const long = Array(5).fill('a'.repeat(60)).join('.');
    return [
      ...m.slice(0, 6),
      0,
      1,
      ...m.slice(8, 12),
      ...question('_imaps._tcp.example.test'),
      ...rr(wireName(long), 33, srvRdata(0, 0, 1, wireName('a.test'))),
    ];
  },
  'huge-rdlength': (m, r) => {
    const c = [...m];
    const at = c.length - 3 - int(r, Math.max(1, c.length - 30));
    c[at] = 0xff;
    c[at + 1] = 0xff;
    return c;
  },
  'ttl-top-bit': (m, r) => {
    const c = [...m];
    for (let i = 12; i < c.length; i++) if (r() < 0.05) c[i]! |= 0x80;
    return c;
  },
  'nul-in-label': (m, r) => {
    const c = [...m];
    const at = 13 + int(r, Math.max(1, c.length - 13));
    c[at] = r() < 0.5 ? 0 : 0x2e;
    return c;
  },
  'rcode-random': (m, r) => {
    const c = [...m];
    c[3] = (c[3]! & 0xf0) | int(r, 16);
    return c;
  },
  empty: () => [],
  // The question section names another label than the one asked.
  'wrong-question': (m) => {
    const c = [...m];
    c[13] = 0x23;
    return c;
  },
  // The last record's RDATA loses its tail while RDLENGTH still claims it (TXT/TLSA cut short).
  'rdata-cut': (m, r) => m.slice(0, m.length - 1 - int(r, 8)),
  // Three more answers as RDLENGTH bounds them: an HINFO of one octet, an SRV, a private-type record.
  // A decoder that reads HINFO's strings past RDLENGTH swallows the SRV and finds a hidden SRV
  // (target '.') and an A record in the private RDATA (test/regressions/record-boundaries.test.ts).
  'record-boundary': (m, r) => {
    const realSrv = rr([0xc0, 12], TYPES.SRV, srvRdata(int(r, 65536), int(r, 65536), int(r, 65536), wireName(hostname(r))));
    const hiddenSrv = rr([0xc0, 12], TYPES.SRV, srvRdata(int(r, 65536), int(r, 65536), int(r, 65536), [0]));
    const hidden = [...hiddenSrv, ...rr([0xc0, 12], TYPES.A, [int(r, 256), int(r, 256), int(r, 256), int(r, 256)])];
    const privateRecord = rr([0xc0, 12], 65280, [0, ...hidden]);
    const swallowed = realSrv.length + privateRecord.length - hidden.length - 1;
    const c = [...m];
    const an = (((c[6] ?? 0) << 8) | (c[7] ?? 0)) + 3;
    c[6] = an >> 8;
    c[7] = an & 0xff;
    return [...c, ...rr([0xc0, 12], 13, [swallowed]), ...realSrv, ...privateRecord];
  },
};

export function mutatedCase(random: Random): FuzzCase {
  const base = validCase(random);
  const name = pick(random, Object.keys(MUTATIONS));
  const mutate = MUTATIONS[name]!;
  let octets = [...base.bytes];
  for (let rounds = 1 + int(random, 2); rounds > 0; rounds--) octets = mutate(octets, random);
  return { kind: name, question: base.question, bytes: bytes(octets) };
}
