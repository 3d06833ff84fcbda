// Punycode decoding (RFC 3492) for login names in Unicode (RFC 6531 §3.3).
import { describe, expect, test } from 'vitest';
import { decodePunycode, toUnicode } from '../../../src/core/address/to-unicode.ts';
import { urlHostname } from '../../../src/parse-url.ts';

describe('toUnicode', () => {
  // RFC 3492 §7.1 sample strings (J), (L), (S), and the A-labels of the fixtures.
  test.each([
    { encoded: 'PorqunopuedensimplementehablarenEspaol-fmd56a', decoded: 'PorquénopuedensimplementehablarenEspañol' },
    { encoded: '3B-ww4c5e180e575a65lsy2b', decoded: '3年B組金八先生' },
    { encoded: '-> $1.00 <--', decoded: '-> $1.00 <-' },
    { encoded: 'bcher-kva', decoded: 'bücher' },
    { encoded: 'r8jz45g', decoded: '例え' },
    { encoded: 'zckzah', decoded: 'テスト' },
  ])('RFC 3492 §7.1: $encoded decodes to $decoded', ({ encoded, decoded }) => {
    expect(decodePunycode(encoded)).toBe(decoded);
  });

  test.each(['9', 'a€-b', 'zzzzzzzzzzzzzzzzzzzzzzzzzz', 'abc-'.repeat(3) + '#'])('invalid Punycode %j decodes to null', (encoded) => {
    expect(decodePunycode(encoded)).toBeNull();
  });

  test('every label that is an A-label becomes its U-label; others and broken ones stay', () => {
    expect(toUnicode('mail.xn--r8jz45g.xn--zckzah')).toBe('mail.例え.テスト');
    expect(toUnicode('XN--BCHER-KVA.example')).toBe('bücher.example');
    expect(toUnicode('xn--9.example.test')).toBe('xn--9.example.test');
  });

  test('round trip: the URL parser\'s IDNA turns the U-labels back into the same A-labels', () => {
    for (const name of ['bücher.example', '例え.テスト', 'ελληνικά.gr', 'москва.рф', 'straße.de', 'العربية.example', '😀.example']) {
      const ascii = urlHostname(name) ?? '';
      expect(ascii, name).toMatch(/xn--/);
      expect(toUnicode(ascii), name).toBe(name);
      expect(urlHostname(toUnicode(ascii)), name).toBe(ascii);
    }
  });
});
