import { describe, expect, test } from 'vitest';
import { base64url } from '../../../src/core/dns/base64url.ts';
import { seededRandom } from '../../support/seeded-random.ts';

describe('base64url', () => {
  test.each([
    { name: 'empty', input: [], out: '' },
    { name: 'one octet (no == padding)', input: [0xfb], out: '-w' },
    { name: 'two octets (no = padding)', input: [0xfb, 0xff], out: '-_8' },
    { name: 'three octets', input: [0x00, 0x10, 0x83], out: 'ABCD' },
  ])('RFC 4648 §5: $name', ({ input, out }) => {
    expect(base64url(new Uint8Array(input))).toBe(out);
  });

  test('agrees with Node for 200 random lengths and contents', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const input = Uint8Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256));
      expect(base64url(input)).toBe(Buffer.from(input).toString('base64url'));
    }
  });
});
