import { describe, expect, test } from 'vitest';
import { parseAddress } from '../../../src/core/address/parse-address.ts';
import { urlHostname } from '../../../src/parse-url.ts';

const platform = { toAscii: urlHostname };

describe('parseAddress: normalisation (docs/discovery.md)', () => {
  test.each([
    { name: 'plain address', input: 'alice@example.com', address: 'alice@example.com', mailbox: 'alice', domain: 'example.com' },
    {
      name: 'domain lowercased, local-part kept',
      input: 'Alice@EXAMPLE.Com',
      address: 'Alice@example.com',
      mailbox: 'Alice',
      domain: 'example.com',
    },
    { name: 'trailing dot removed', input: 'a@example.com.', address: 'a@example.com', mailbox: 'a', domain: 'example.com' },
    { name: 'outer white space trimmed', input: '  a@example.com \n', address: 'a@example.com', mailbox: 'a', domain: 'example.com' },
    {
      name: 'split at the last @ (quoted @ in local-part)',
      input: '"a@b"@example.com',
      address: '"a@b"@example.com',
      mailbox: 'a@b',
      domain: 'example.com',
    },
    {
      name: 'quoted local-part with space and quoted-pair',
      input: '"john \\"jd\\" doe"@example.com',
      address: '"john \\"jd\\" doe"@example.com',
      mailbox: 'john "jd" doe',
      domain: 'example.com',
    },
    {
      name: 'atext specials',
      input: "o'brien+tag=x!#$%&*/?^_`{|}~@example.com",
      address: "o'brien+tag=x!#$%&*/?^_`{|}~@example.com",
      mailbox: "o'brien+tag=x!#$%&*/?^_`{|}~",
      domain: 'example.com',
    },
    {
      name: 'IDN domain to A-labels (Japanese)',
      input: 'taro@例え.テスト',
      address: 'taro@xn--r8jz45g.xn--zckzah',
      mailbox: 'taro',
      domain: 'xn--r8jz45g.xn--zckzah',
    },
    {
      name: 'IDN with ideographic full stop',
      input: 'taro@例え。テスト',
      address: 'taro@xn--r8jz45g.xn--zckzah',
      mailbox: 'taro',
      domain: 'xn--r8jz45g.xn--zckzah',
    },
    {
      name: 'UTF-8 local-part (RFC 6531)',
      input: 'ユーザー@example.jp',
      address: 'ユーザー@example.jp',
      mailbox: 'ユーザー',
      domain: 'example.jp',
    },
    { name: 'German IDN', input: 'x@bücher.example', address: 'x@xn--bcher-kva.example', mailbox: 'x', domain: 'xn--bcher-kva.example' },
  ])('$name', ({ input, address, mailbox, domain }) => {
    const result = parseAddress(input, platform);
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ address, mailbox, domain }) });
  });

  test.each([
    { name: 'empty', input: '   ', reason: 'address-empty' },
    { name: 'no @', input: 'alice.example.com', reason: 'address-missing-at' },
    { name: 'empty local-part', input: '@example.com', reason: 'address-empty-local-part' },
    { name: 'empty domain', input: 'alice@', reason: 'address-empty-domain' },
    { name: 'domain only a dot', input: 'alice@.', reason: 'domain-empty-label' },
    { name: 'leading dot in local-part', input: '.alice@example.com', reason: 'address-local-part-invalid' },
    { name: 'double dot in local-part', input: 'a..b@example.com', reason: 'address-local-part-invalid' },
    { name: 'space in unquoted local-part', input: 'a b@example.com', reason: 'address-local-part-invalid' },
    { name: 'unterminated quote', input: '"ab@example.com', reason: 'address-local-part-invalid' },
    { name: 'control character in quotes', input: '"a\u0001b"@example.com', reason: 'address-invisible-characters' },
    { name: 'local-part of 65 octets', input: `${'a'.repeat(65)}@example.com`, reason: 'address-local-part-too-long' },
    {
      name: 'local-part of 22 three-octet characters (66 octets)',
      input: `${'あ'.repeat(22)}@example.com`,
      reason: 'address-local-part-too-long',
    },
    { name: 'domain literal', input: 'a@[192.0.2.1]', reason: 'address-domain-literal' },
    { name: 'double dot in domain (would query a shorter name)', input: 'a@exa..mple.com', reason: 'domain-empty-label' },
    { name: 'leading dot in domain', input: 'a@.example.com', reason: 'domain-empty-label' },
    {
      name: 'address of 255 octets (RFC 5321 §4.5.3.1.3: a path holds at most 254)',
      input: `a@${Array(4).fill('x'.repeat(62)).join('.')}.c`,
      reason: 'address-too-long',
    },
    { name: 'label of 64 octets', input: `a@${'x'.repeat(64)}.com`, reason: 'domain-label-too-long' },
    { name: 'name of 254 octets', input: `a@${Array(4).fill('x'.repeat(62)).join('.')}.com`, reason: 'domain-too-long' },
    { name: 'underscore in domain', input: 'a@mail_host.example.com', reason: 'domain-invalid-characters' },
    { name: 'slash would steer a URL parser', input: 'a@evil.com/x.example.com', reason: 'domain-invalid-characters' },
    { name: 'port-like colon', input: 'a@example.com:993', reason: 'domain-invalid-characters' },
    { name: 'percent escape', input: 'a@ex%61mple.com', reason: 'domain-invalid-characters' },
    { name: 'NUL in domain', input: 'a@evil.net\u0000.example.com', reason: 'domain-invalid-characters' },
    { name: 'hyphen at label start', input: 'a@-example.com', reason: 'domain-label-hyphen' },
    { name: 'hyphen at label end', input: 'a@example-.com', reason: 'domain-label-hyphen' },
    { name: 'dotted IPv4', input: 'a@127.0.0.1', reason: 'domain-numeric' },
    { name: 'short IPv4 form', input: 'a@127.1', reason: 'domain-numeric' },
    { name: 'hex IPv4 form', input: 'a@0x7f.0.0.1', reason: 'domain-numeric' },
    { name: 'single number', input: 'a@2130706433', reason: 'domain-numeric' },
    { name: 'fullwidth digits map to an IPv4 address', input: 'a@１２７.０.０.１', reason: 'domain-numeric' },
    { name: 'single label', input: 'a@localhost', reason: 'domain-single-label' },
    { name: 'IDNA refused', input: 'a@xn--a.example\u00ad\u200d', reason: 'domain-idna-failed' },
    {
      name: 'right-to-left override U+202E in the local-part',
      input: 'alice\u202Egnp.exe@example.com',
      reason: 'address-invisible-characters',
    },
    { name: 'zero-width space U+200B in the local-part', input: 'ali\u200Bce@example.com', reason: 'address-invisible-characters' },
    { name: 'line separator U+2028 in the local-part', input: '"a\u2028b"@example.com', reason: 'address-invisible-characters' },
    { name: 'next line U+0085 in the local-part', input: '"a\u0085b"@example.com', reason: 'address-invisible-characters' },
    { name: 'byte order mark U+FEFF before the local-part', input: '\uFEFFalice@example.com', reason: 'address-invisible-characters' },
    { name: 'paragraph separator U+2029 in the local-part', input: 'a\u2029@example.com', reason: 'address-invisible-characters' },
    { name: 'RFC 6761 §6.4: localhost and below', input: 'a@mail.localhost', reason: 'domain-special-use' },
    { name: 'RFC 6761 §6.4: invalid', input: 'a@example.invalid', reason: 'domain-special-use' },
    { name: 'RFC 6762 §3: local (multicast DNS)', input: 'a@printer.local', reason: 'domain-special-use' },
    { name: 'RFC 7686 §2: onion', input: 'a@abcdefghijklmnop.onion', reason: 'domain-special-use' },
    { name: 'RFC 8375 §6: home.arpa', input: 'a@router.home.arpa', reason: 'domain-special-use' },
    { name: 'RFC 8375 §6: home.arpa itself', input: 'a@HOME.ARPA.', reason: 'domain-special-use' },
  ])('refuses $name', ({ input, reason }) => {
    expect(parseAddress(input, platform)).toEqual({ ok: false, reason });
  });

  test('IDNA failure from the platform is reported, not thrown', () => {
    expect(parseAddress('a@例え.jp', { toAscii: () => null })).toEqual({ ok: false, reason: 'domain-idna-failed' });
  });
});
