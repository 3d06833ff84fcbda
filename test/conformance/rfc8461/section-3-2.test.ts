// RFC 8461 §3.2 grammar details: UTF-8 in extension values, `mx` patterns as `["*."] Domain`
// (RFC 5321 §4.1.2), and the §4.1 matching those patterns keep.
import { describe, expect, test } from 'vitest';
import { mxMatches, parseStsPolicy } from '../../../src/core/transport/parse-mta-sts.ts';

const policy = (extra: string, mx = 'mail.example.com'): string => `version: STSv1\nmode: enforce\nmx: ${mx}\nmax_age: 86400\n${extra}`;

describe('RFC 8461 §3.2: sts-policy-ext-value allows UTF-8 (RFC 3629)', () => {
  test.each([
    { name: 'a Latin extension value', text: policy('comment: Grüße aus Köln\n') },
    { name: 'a Japanese extension value, CRLF', text: policy('note: 日本語の説明\r\n') },
    { name: 'a four-octet character', text: policy('x-emoji: mail 📫\n') },
    { name: 'UTF-8 with white space after it', text: policy('comment: é \t\n') },
  ])('RFC 8461 §3.2: $name is part of a valid policy', ({ text }) => {
    expect(parseStsPolicy(text)).toEqual({ ok: true, policy: { mode: 'enforce', maxAge: 86400, mx: ['mail.example.com'] } });
  });

  test.each([
    { name: 'a tab inside an extension value (only %x20 may join vchars)', text: policy('comment: a\tb\n'), reason: 'mta-sts-syntax' },
    { name: 'a control character in an extension value', text: policy('comment: a\u0001b\n'), reason: 'mta-sts-syntax' },
    { name: 'a DEL in an extension value', text: policy('comment: a\u007f\n'), reason: 'mta-sts-syntax' },
    { name: 'UTF-8 in the mode value', text: 'version: STSv1\nmode: enforcé\nmx: a.example.com\nmax_age: 1\n', reason: 'mta-sts-mode' },
    {
      name: 'UTF-8 in the version value',
      text: 'version: STSv1é\nmode: enforce\nmx: a.example.com\nmax_age: 1\n',
      reason: 'mta-sts-version',
    },
    { name: 'UTF-8 in an mx value', text: policy('', 'mäil.example.com'), reason: 'mta-sts-mx-pattern' },
    {
      name: 'full-width digits in max_age',
      text: 'version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: １\n',
      reason: 'mta-sts-max-age',
    },
    { name: 'UTF-8 in a key', text: policy('commént: x\n'), reason: 'mta-sts-syntax' },
  ])('RFC 8461 §3.2: refuses $name ($reason)', ({ text, reason }) => {
    expect(parseStsPolicy(text)).toMatchObject({ ok: false, reason });
  });
});

describe('RFC 8461 §3.2: sts-policy-mx-value = ["*."] Domain', () => {
  test.each([
    { name: 'a single label', mx: 'mail' },
    { name: 'a numeric-looking last label', mx: 'mx.example.123' },
    { name: 'a wildcard over a top-level domain', mx: '*.com' },
    { name: 'all-numeric labels (a Domain by RFC 5321 §4.1.2)', mx: '192.0.2.1' },
    { name: 'a label of 63 octets', mx: `${'a'.repeat(63)}.example.com` },
  ])('RFC 8461 §3.2: accepts $name ($mx)', ({ mx }) => {
    expect(parseStsPolicy(policy('', mx))).toEqual({ ok: true, policy: { mode: 'enforce', maxAge: 86400, mx: [mx] } });
  });

  test.each([
    { name: 'two wildcards', mx: '*.*.example.com' },
    { name: 'a bare wildcard', mx: '*' },
    { name: 'a wildcard with nothing after it', mx: '*.' },
    { name: 'a wildcard not leftmost', mx: 'mail.*.example.com' },
    { name: 'a trailing dot', mx: 'mail.example.com.' },
    { name: 'an empty label', mx: 'mail..example.com' },
    { name: 'a label starting with a hyphen', mx: '-mail.example.com' },
    { name: 'a label ending with a hyphen', mx: 'mail-.example.com' },
    { name: 'an underscore', mx: 'mail_1.example.com' },
    { name: 'a label of 64 octets', mx: `${'a'.repeat(64)}.example.com` },
    { name: 'a path', mx: 'a.example.com/x' },
    { name: 'a port', mx: 'a.example.com:25' },
  ])('RFC 8461 §3.2: refuses $name ($mx)', ({ mx }) => {
    expect(parseStsPolicy(policy('', mx))).toMatchObject({ ok: false, reason: 'mta-sts-mx-pattern' });
  });

  test.each([
    { host: 'example.com', pattern: '*.com', match: true },
    { host: 'mail.example.com', pattern: '*.com', match: false },
    { host: 'com', pattern: '*.com', match: false },
    { host: 'mx.example.123', pattern: 'mx.example.123', match: true },
    { host: 'mx.example.123', pattern: '*.example.123', match: true },
    { host: 'mail.example.com', pattern: 'mail', match: false },
  ])('RFC 8461 §4.1: $host against $pattern → $match (a wildcard stands for exactly one label)', ({ host, pattern, match }) => {
    expect(mxMatches(host, pattern)).toBe(match);
  });
});
