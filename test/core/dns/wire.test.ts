import * as packet from 'dns-packet';
import { describe, expect, test } from 'vitest';
import { decodeResponse, encodeQuery, type Question } from '../../../src/core/dns/wire.ts';
import { bytes, header, question, rr, srvMessage, srvRdata, u16, wireName } from '../../support/wire-builder.ts';

const Q: Question = { name: '_imaps._tcp.example.test', type: 'SRV' };
const OWNER = [0xc0, 12]; // pointer to the question name

function decode(octets: number[], q: Question = Q) {
  return decodeResponse(bytes(octets), q);
}

describe('encodeQuery', () => {
  test('RFC 8484 §4.1: message ID 0, RD, one question, EDNS0 OPT with DO (RFC 3225 §3)', () => {
    const query = packet.decode(Buffer.from(encodeQuery(Q, false)));
    expect(query.id).toBe(0);
    expect(query.flags! & packet.RECURSION_DESIRED).toBeTruthy();
    expect(query.questions).toEqual([{ name: Q.name, type: 'SRV', class: 'IN' }]);
    const opt = query.additionals?.[0] as unknown as { type: string; flags: number; udpPayloadSize: number };
    expect(opt.type).toBe('OPT');
    expect(opt.flags & packet.DNSSEC_OK).toBe(packet.DNSSEC_OK);
  });

  test.each([
    Q,
    { name: 'a.b', type: 'TXT' as const },
    { name: `${'x'.repeat(63)}.${'y'.repeat(63)}.${'z'.repeat(63)}.com`, type: 'SRV' as const },
  ])('RFC 8467 §4.1: padded query for $name is a multiple of 128 octets', (q) => {
    const padded = encodeQuery(q, true);
    expect(padded.length % 128).toBe(0);
    expect(padded.length).toBeGreaterThan(encodeQuery(q, false).length);
    const opt = packet.decode(Buffer.from(padded)).additionals?.[0] as unknown as { options: { code: number }[] };
    expect(opt.options.map((o) => o.code)).toEqual([12]);
  });

  test.each([
    { name: 'empty label (exa..mple)', qname: '_imaps._tcp.exa..mple.com' },
    { name: 'label of 64 octets', qname: `_imaps._tcp.${'a'.repeat(64)}.com` },
    { name: 'name over 253', qname: `_imaps._tcp.${Array(5).fill('a'.repeat(60)).join('.')}` },
    { name: 'NUL octet', qname: '_imaps._tcp.evil\u0000.com' },
    { name: 'upper case (names are normalised first)', qname: '_imaps._tcp.Example.com' },
    { name: 'trailing dot', qname: '_imaps._tcp.example.com.' },
  ])('never encodes a query name with $name', ({ qname }) => {
    expect(() => encodeQuery({ name: qname, type: 'SRV' }, false)).toThrow(RangeError);
  });
});

describe('decodeResponse: a strict response path around dns-packet', () => {
  test('reads a well-formed SRV answer', () => {
    const result = decode(srvMessage(Q.name, 'imap.example.test', { flags: 0x81a0 }));
    expect(result).toEqual({
      ok: true,
      response: {
        rcode: 0,
        ad: true,
        answers: [{ name: Q.name, ttl: 300, data: { type: 'SRV', priority: 0, weight: 1, port: 993, target: 'imap.example.test' } }],
      },
    });
  });

  test('the question name is matched case-insensitively (RFC 4343 §3)', () => {
    const result = decode([
      ...header({ an: 1 }),
      ...question('_IMAPS._tcp.EXAMPLE.test'),
      ...rr(OWNER, 33, srvRdata(0, 1, 993, wireName('Imap.Example.Test'))),
    ]);
    expect(result.ok && result.response.answers[0]?.data).toEqual({
      type: 'SRV',
      priority: 0,
      weight: 1,
      port: 993,
      target: 'imap.example.test',
    });
  });

  test('RFC 2181 §8: a TTL with the top bit set is read as 0', () => {
    const result = decode([
      ...header({ an: 1 }),
      ...question(Q.name),
      ...rr(OWNER, 33, srvRdata(0, 1, 993, wireName('a.example.test')), { ttl: 0x80000000 }),
    ]);
    expect(result.ok && result.response.answers[0]?.ttl).toBe(0);
  });

  test('RFC 8767 §4: TTLs are capped at 7 days', () => {
    const result = decode([
      ...header({ an: 1 }),
      ...question(Q.name),
      ...rr(OWNER, 33, srvRdata(0, 1, 993, wireName('a.example.test')), { ttl: 0x7fffffff }),
    ]);
    expect(result.ok && result.response.answers[0]?.ttl).toBe(604800);
  });

  test('records of another class are not used', () => {
    const result = decode([
      ...header({ an: 1 }),
      ...question(Q.name),
      ...rr(OWNER, 33, srvRdata(0, 1, 993, wireName('a.example.test')), { klass: 3 }),
    ]);
    expect(result).toEqual({ ok: true, response: { rcode: 0, ad: false, answers: [] } });
  });

  test('a target label holding a dot or a NUL is kept escaped, never joined into another name', () => {
    const target = wireName(['evil', [0x6e, 0x65, 0x74, 0x00], 'example', 'test']);
    const result = decode([...header({ an: 1 }), ...question(Q.name), ...rr(OWNER, 33, srvRdata(0, 1, 993, target))]);
    expect(result.ok && result.response.answers[0]?.data).toMatchObject({ target: 'evil.net\\000.example.test' });
    const dotted = decode([
      ...header({ an: 1 }),
      ...question(Q.name),
      ...rr(OWNER, 33, srvRdata(0, 1, 993, wireName(['evil.net', 'example', 'test']))),
    ]);
    expect(dotted.ok && dotted.response.answers[0]?.data).toMatchObject({ target: 'evil\\046net.example.test' });
  });

  const srvTail = srvRdata(0, 1, 993, wireName('imap.example.test'));
  test.each([
    { name: 'message shorter than a header', octets: [0, 0, 0x81], reason: 'malformed-response' },
    {
      name: 'SRV RDLENGTH smaller than its fixed part',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr(OWNER, 33, srvTail.slice(0, 4), { rdlength: 4 })],
      reason: 'malformed-response',
    },
    {
      name: 'SRV RDLENGTH shorter than its content',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr(OWNER, 33, srvTail, { rdlength: 10 })],
      reason: 'malformed-response',
    },
    {
      name: 'SRV RDLENGTH past the end of the message',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr(OWNER, 33, srvTail, { rdlength: 400 })],
      reason: 'malformed-response',
    },
    { name: 'octets after the last record', octets: [...srvMessage(Q.name, 'imap.example.test'), 0, 0, 0], reason: 'malformed-response' },
    {
      name: 'QDCOUNT 2 with one question (dns-packet invents an A record)',
      octets: srvMessage(Q.name, 'imap.example.test', { qd: 2 }),
      reason: 'malformed-response',
    },
    { name: 'QDCOUNT 0', octets: [...header({ qd: 0 })], reason: 'malformed-response' },
    {
      name: 'ANCOUNT larger than the records present',
      octets: srvMessage(Q.name, 'imap.example.test', { an: 2 }),
      reason: 'malformed-response',
    },
    {
      name: 'QR bit clear (a query, not a response)',
      octets: srvMessage(Q.name, 'imap.example.test', { flags: 0x0100 }),
      reason: 'malformed-response',
    },
    {
      name: 'message ID not 0 (RFC 8484 §4.1)',
      octets: srvMessage(Q.name, 'imap.example.test', { id: 4660 }),
      reason: 'malformed-response',
    },
    { name: 'opcode not QUERY', octets: srvMessage(Q.name, 'imap.example.test', { flags: 0x8980 }), reason: 'malformed-response' },
    { name: 'TC bit set', octets: srvMessage(Q.name, 'imap.example.test', { flags: 0x8380 }), reason: 'truncated' },
    { name: 'answer for another name', octets: srvMessage('_imaps._tcp.evil.test', 'imap.evil.test'), reason: 'question-mismatch' },
    { name: 'answer for another type', octets: [...header(), ...question(Q.name, 16)], reason: 'question-mismatch' },
    { name: 'answer for another class', octets: [...header(), ...question(Q.name, 33, 3)], reason: 'question-mismatch' },
    {
      name: 'compression pointer pointing forwards',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr([0xc0, 200], 33, srvTail)],
      reason: 'malformed-response',
    },
    {
      name: 'compression pointer to itself (loop)',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr([0xc0, 12 + question(Q.name).length], 33, srvTail)],
      reason: 'malformed-response',
    },
    {
      name: 'compression loop through two pointers',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr([3, 0x61, 0x62, 0x63, 0xc0, 12 + question(Q.name).length], 33, srvTail)],
      reason: 'malformed-response',
    },
    {
      name: 'extended label type 01',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr([0x41, 0], 33, srvTail)],
      reason: 'malformed-response',
    },
    {
      name: 'label of 64 octets (length byte 0x40)',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr([...wireName('x'.repeat(64))], 33, srvTail)],
      reason: 'malformed-response',
    },
    {
      name: 'name over 255 octets',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr(wireName(Array(5).fill('a'.repeat(60)).join('.')), 33, srvTail)],
      reason: 'malformed-response',
    },
    {
      name: 'TXT string running past its RDATA',
      type: 'TXT',
      octets: [...header({ an: 1 }), ...question(Q.name, 16), ...rr(OWNER, 16, [40, ...[...'id=202'].map((c) => c.charCodeAt(0))])],
      reason: 'malformed-response',
    },
    {
      name: 'empty TXT RDATA',
      type: 'TXT',
      octets: [...header({ an: 1 }), ...question(Q.name, 16), ...rr(OWNER, 16, [])],
      reason: 'malformed-response',
    },
    {
      name: 'TLSA SHA-256 digest cut to 22 octets',
      type: 'TLSA',
      octets: [...header({ an: 1 }), ...question(Q.name, 52), ...rr(OWNER, 52, [3, 1, 1, ...Array(22).fill(7)])],
      reason: 'malformed-response',
    },
    {
      name: 'OPT option length 0xFFFF',
      octets: [...header({ ar: 1 }), ...question(Q.name), ...rr([0], 41, [...u16(12), ...u16(0xffff)])],
      reason: 'malformed-response',
    },
    {
      name: 'OPT in the answer section',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr([0], 41, [])],
      reason: 'malformed-response',
    },
    {
      name: 'two OPT records',
      octets: [...header({ ar: 2 }), ...question(Q.name), ...rr([0], 41, []), ...rr([0], 41, [])],
      reason: 'malformed-response',
    },
    {
      name: 'A record of 5 octets',
      type: 'A',
      octets: [...header({ an: 1 }), ...question(Q.name, 1), ...rr(OWNER, 1, [1, 2, 3, 4, 5])],
      reason: 'malformed-response',
    },
    {
      name: 'CNAME RDATA with junk after the name',
      octets: [...header({ an: 1 }), ...question(Q.name), ...rr(OWNER, 5, [...wireName('a.test'), 9])],
      reason: 'malformed-response',
    },
    { name: 'more than 65535 octets', octets: [...srvMessage(Q.name, 'a.test'), ...Array(65536).fill(0)], reason: 'malformed-response' },
  ] as { name: string; octets: number[]; reason: string; type?: Question['type'] }[])('refuses $name', ({ octets, reason, type }) => {
    // Each case carries the question it answers, so it fails for its own defect only.
    const result = decode(octets, { name: Q.name, type: type ?? 'SRV' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe(reason);
    expect(!result.ok && result.detail.length).toBeGreaterThan(0);
  });
});
