// RFC 8461 §3.1 (TXT record), §3.2 (policy file) and §4.1 (MX matching), table-driven.
import { describe, expect, test } from 'vitest';
import { isStsRecord, mxMatches, parseStsPolicy, parseStsTxt } from '../../../src/core/transport/parse-mta-sts.ts';

describe('RFC 8461 §3.1 TXT record', () => {
  test.each([
    { name: 'minimal', text: 'v=STSv1; id=20160831085700Z;', id: '20160831085700Z' },
    { name: 'no trailing semicolon', text: 'v=STSv1; id=abc', id: 'abc' },
    { name: 'tabs and extension fields', text: 'v=STSv1;\tid=1;  ext_1=val.ue', id: '1' },
    { name: '32-character id', text: `v=STSv1; id=${'a'.repeat(32)};`, id: 'a'.repeat(32) },
  ])('RFC 8461 §3.1: $name', ({ text, id }) => {
    expect(isStsRecord(text)).toBe(true);
    expect(parseStsTxt(text)).toEqual({ ok: true, id });
  });

  test.each([
    { name: 'no id', text: 'v=STSv1;' },
    { name: 'id of 33 characters', text: `v=STSv1; id=${'a'.repeat(33)};` },
    { name: 'id with a dash', text: 'v=STSv1; id=2016-08-31;' },
    { name: 'two ids', text: 'v=STSv1; id=1; id=2;' },
    { name: 'field without =', text: 'v=STSv1; id=1; junk;' },
    { name: 'extension value with a space', text: 'v=STSv1; id=1; x=a b;' },
  ])('RFC 8461 §3.1: refuses $name', ({ text }) => {
    expect(parseStsTxt(text)).toEqual({ ok: false, reason: 'mta-sts-txt-syntax' });
  });

  test.each(['v=STSv2; id=1;', 'V=STSv1; id=1;', 'v=STSv1 id=1', 'spf1 include:x'])(
    'RFC 8461 §3.1: %j is not an STS record (discarded)',
    (text) => {
      expect(isStsRecord(text)).toBe(false);
    },
  );
});

describe('RFC 8461 §3.2 policy file', () => {
  test.each([
    {
      name: 'CRLF lines',
      text: 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n',
      policy: { mode: 'enforce', maxAge: 86400, mx: ['mail.example.com'] },
    },
    {
      name: 'LF lines, key order free, several mx, wildcard',
      text: 'mx: *.example.net\nmode: testing\nmax_age: 0\nversion: STSv1\nmx: backup.example.com\n',
      policy: { mode: 'testing', maxAge: 0, mx: ['*.example.net', 'backup.example.com'] },
    },
    {
      name: 'last line without newline',
      text: 'version: STSv1\nmode: none\nmax_age: 31557600',
      policy: { mode: 'none', maxAge: 31557600, mx: [] },
    },
    {
      name: 'unknown keys ignored, spaces around values',
      text: 'version:STSv1\nmode:   enforce  \nfoo: bar baz\nmx: a.example.com\nmax_age: 1\n',
      policy: { mode: 'enforce', maxAge: 1, mx: ['a.example.com'] },
    },
    {
      name: 'mx lowercased',
      text: 'version: STSv1\nmode: enforce\nmx: MAIL.Example.COM\nmax_age: 5\n',
      policy: { mode: 'enforce', maxAge: 5, mx: ['mail.example.com'] },
    },
  ])('RFC 8461 §3.2: $name', ({ text, policy }) => {
    expect(parseStsPolicy(text)).toEqual({ ok: true, policy });
  });

  test.each([
    { name: 'missing version', text: 'mode: enforce\nmx: a.example.com\nmax_age: 1\n', reason: 'mta-sts-version' },
    { name: 'version STSv2', text: 'version: STSv2\nmode: enforce\nmx: a.example.com\nmax_age: 1\n', reason: 'mta-sts-version' },
    {
      name: 'mode Enforce (case-sensitive)',
      text: 'version: STSv1\nmode: Enforce\nmx: a.example.com\nmax_age: 1\n',
      reason: 'mta-sts-mode',
    },
    { name: 'max_age 31557601', text: 'version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 31557601\n', reason: 'mta-sts-max-age' },
    { name: 'max_age negative', text: 'version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: -1\n', reason: 'mta-sts-max-age' },
    {
      name: 'max_age of 11 digits',
      text: 'version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 00000000001\n',
      reason: 'mta-sts-max-age',
    },
    { name: 'no max_age', text: 'version: STSv1\nmode: enforce\nmx: a.example.com\n', reason: 'mta-sts-max-age' },
    { name: 'enforce without mx', text: 'version: STSv1\nmode: enforce\nmax_age: 1\n', reason: 'mta-sts-mx-missing' },
    {
      name: 'mx with two wildcards',
      text: 'version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 1\n',
      reason: 'mta-sts-mx-pattern',
    },
    { name: 'mx with a path', text: 'version: STSv1\nmode: enforce\nmx: a.example.com/x\nmax_age: 1\n', reason: 'mta-sts-mx-pattern' },
    {
      name: 'duplicate mode',
      text: 'version: STSv1\nmode: testing\nmode: enforce\nmx: a.example.com\nmax_age: 1\n',
      reason: 'mta-sts-syntax',
    },
    { name: 'a line without colon', text: 'version: STSv1\nmode enforce\n', reason: 'mta-sts-syntax' },
    { name: 'an HTML page', text: '<html><body>hi</body></html>\n', reason: 'mta-sts-syntax' },
    { name: 'a NUL byte', text: 'version: STSv1\u0000\nmode: enforce\n', reason: 'mta-sts-syntax' },
    { name: 'an empty file', text: '', reason: 'mta-sts-version' },
  ])('RFC 8461 §3.2: refuses $name ($reason)', ({ text, reason }) => {
    expect(parseStsPolicy(text)).toMatchObject({ ok: false, reason });
  });
});

describe('RFC 8461 §4.1 MX host matching', () => {
  test.each([
    { host: 'mail.example.com', pattern: 'mail.example.com', match: true },
    { host: 'MAIL.example.com', pattern: 'mail.example.com', match: true },
    { host: 'mx1.example.com', pattern: '*.example.com', match: true },
    { host: 'example.com', pattern: '*.example.com', match: false },
    { host: 'a.b.example.com', pattern: '*.example.com', match: false },
    { host: 'mail.badexample.com', pattern: '*.example.com', match: false },
    { host: 'mail.example.com.evil.test', pattern: 'mail.example.com', match: false },
  ])('RFC 8461 §4.1: $host against $pattern → $match', ({ host, pattern, match }) => {
    expect(mxMatches(host, pattern)).toBe(match);
  });
});
