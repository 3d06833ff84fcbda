// The browser's Buffer (src/core/dns/byte-buffer.ts) against Node's, and the browser build of
// wire.ts (dns-packet on top of it) against the Node one on the same messages.
import * as packet from 'dns-packet';
import { beforeAll, describe, expect, test } from 'vitest';
import { Buffer as ByteBuffer } from '../../../src/core/dns/byte-buffer.ts';
import * as nodeWire from '../../../src/core/dns/wire.ts';
import { browserWire, viewAt } from '../../support/browser-wire.ts';
import { responseFor, srv } from '../../support/fake-resolver.ts';
import { seededRandom } from '../../support/seeded-random.ts';

describe('ByteBuffer matches Node Buffer', () => {
  const random = seededRandom(8484);
  const bytes = Uint8Array.from({ length: 64 }, () => Math.floor(random() * 256));

  test('reads', () => {
    const ours = ByteBuffer.from(bytes);
    const node = Buffer.from(bytes);
    for (let offset = 0; offset <= 60; offset++) {
      expect(ours.readUInt8(offset)).toBe(node.readUInt8(offset));
      expect(ours.readUInt16BE(offset)).toBe(node.readUInt16BE(offset));
      expect(ours.readUInt32BE(offset)).toBe(node.readUInt32BE(offset));
    }
    expect(() => ours.readUInt16BE(63)).toThrow(RangeError);
    expect(() => ours.readUInt32BE(-1)).toThrow(RangeError);
  });

  test('from(arrayBuffer, byteOffset, length) is a view of exactly that range, as Node\'s', () => {
    const backing = bytes.slice().buffer;
    for (const [offset, length] of [[0, 64], [5, 10], [63, 1], [64, 0], [7, undefined]] as const) {
      const ours = ByteBuffer.from(backing, offset, length);
      const node = Buffer.from(backing, offset, length);
      expect([...ours], `${offset}, ${length}`).toEqual([...node]);
      expect(ours.byteOffset).toBe(node.byteOffset);
    }
    const view = ByteBuffer.from(backing, 5, 10);
    view[0] = 0x42;
    expect(new Uint8Array(backing)[5]).toBe(0x42); // shares memory, as Node's does
  });

  test('writes, copies, slices and text', () => {
    const ours = ByteBuffer.alloc(16);
    const node = Buffer.alloc(16);
    for (const b of [ours, node]) {
      b.writeUInt8(0xab, 0);
      b.writeUInt16BE(0xbeef, 1);
      b.writeUInt32BE(0xdeadbeef, 3);
      b.write('añ', 7);
      b.fill(7, 11, 13);
    }
    expect([...ours]).toEqual([...node]);
    expect(ours.toString('hex')).toBe(node.toString('hex'));
    expect(ours.toString('utf-8', 7, 10)).toBe(node.toString('utf-8', 7, 10));
    const view = ours.slice(2, 6);
    view[0] = 1;
    expect(ours[2]).toBe(1); // a view, as Node's slice
    const target = ByteBuffer.alloc(4);
    expect(ours.copy(target, 1, 3, 10)).toBe(3);
    expect([...target]).toEqual([0, ...ours.subarray(3, 6)]);
    expect(ByteBuffer.byteLength('añ')).toBe(Buffer.byteLength('añ'));
    expect([...ByteBuffer.from('0aff', 'hex')]).toEqual([10, 255]);
    expect([...ByteBuffer.concat([ByteBuffer.from([1]), ByteBuffer.from([2, 3])])]).toEqual([1, 2, 3]);
  });
});

describe('wire.ts built for the browser (dns-packet over ByteBuffer) agrees with Node', () => {
  let browser: typeof nodeWire;
  beforeAll(async () => {
    browser = await browserWire();
  });

  test.each([
    { name: '_imaps._tcp.example.test', type: 'SRV' as const },
    { name: '_mta-sts.example.test', type: 'TXT' as const },
    { name: '_25._tcp.mx.example.test', type: 'TLSA' as const },
  ])('encodes $type $name identically, padded or not', (question) => {
    for (const pad of [false, true]) expect([...browser.encodeQuery(question, pad)]).toEqual([...nodeWire.encodeQuery(question, pad)]);
  });

  test('decodes SRV, TXT, TLSA, MX, A and CNAME answers identically', () => {
    const cases = [
      {
        q: { name: '_imaps._tcp.example.test', type: 'SRV' as const },
        answers: [srv('_imaps._tcp.example.test', 5, 10, 993, 'imap.example.test')],
      },
      {
        q: { name: '_mta-sts.example.test', type: 'TXT' as const },
        answers: [{ name: '_mta-sts.example.test', type: 'TXT' as const, data: ['v=STSv1; ', 'id=1;'] }],
      },
      {
        q: { name: '_25._tcp.mx.example.test', type: 'TLSA' as const },
        answers: [
          {
            name: '_25._tcp.mx.example.test',
            type: 'TLSA' as const,
            data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.alloc(32, 9) },
          },
        ],
      },
      {
        q: { name: 'example.test', type: 'MX' as const },
        answers: [{ name: 'example.test', type: 'MX' as const, data: { preference: 10, exchange: 'mx.example.test' } }],
      },
      { q: { name: 'mx.example.test', type: 'A' as const }, answers: [{ name: 'mx.example.test', type: 'A' as const, data: '127.0.0.1' }] },
      {
        q: { name: '_imap._tcp.example.test', type: 'SRV' as const },
        answers: [{ name: '_imap._tcp.example.test', type: 'CNAME' as const, data: 'x.example.test' }],
      },
    ];
    for (const { q, answers } of cases) {
      const message = responseFor(packet.decode(Buffer.from(nodeWire.encodeQuery(q, false))), { ad: true, answers });
      expect(browser.decodeResponse(message, q)).toEqual(nodeWire.decodeResponse(message, q));
      expect(nodeWire.decodeResponse(message, q).ok).toBe(true);
    }
  });

  test('decodes a message held in a view at an offset of a larger buffer (a subarray, a pooled Buffer)', () => {
    const q = { name: '_imaps._tcp.example.test', type: 'SRV' as const };
    const message = responseFor(packet.decode(Buffer.from(nodeWire.encodeQuery(q, false))), {
      ad: true, answers: [srv(q.name, 5, 10, 993, 'imap.example.test'), srv(q.name, 7, 20, 143, 'mail.example.test')],
    });
    const expected = nodeWire.decodeResponse(message, q);
    expect(expected.ok).toBe(true);
    for (const offset of [1, 3, 16, 100]) {
      expect(browser.decodeResponse(viewAt(message, offset), q), `offset ${offset}`).toEqual(expected);
      expect(nodeWire.decodeResponse(viewAt(message, offset), q), `offset ${offset}`).toEqual(expected);
    }
  });
});
