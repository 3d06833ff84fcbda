import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readElement, readOid, readTime, TAG } from '../../../src/core/probe/der.ts';
import { readCertificate } from '../../../src/core/probe/read-certificate.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(`test/fixtures/probe/${name}`));
const bytes = (...octets: number[]): Uint8Array => new Uint8Array(octets);

describe('readCertificate: the facts of test/fixtures/probe (README there says how they were made)', () => {
  test.each([
    {
      name: 'SRVName otherNames and a wildcard dNSName, GeneralizedTime notAfter, issuer CN and O',
      file: 'srv-id.der',
      expected: {
        dnsNames: ['imap.provider.test', '*.wild.test'],
        srvNames: ['_imaps.example.org', '_submissions.example.org'],
        notAfter: { iso: '2054-04-10T19:03:13Z', ms: Date.UTC(2054, 3, 10, 19, 3, 13) },
        issuer: 'Probe Test CA, Example CA Org',
      },
    },
    {
      name: 'a dNSName in capitals is lowercased; UTCTime notAfter',
      file: 'dns-id.der',
      expected: {
        dnsNames: ['example.org'], srvNames: [], issuer: 'example.org',
        notAfter: { iso: '2026-12-23T19:03:13Z', ms: Date.UTC(2026, 11, 23, 19, 3, 13) },
      },
    },
  ])('$name', ({ file, expected }) => {
    const read = readCertificate(fixture(file));
    expect(read.ok && read.value).toMatchObject(expected);
  });

  test('the SubjectPublicKeyInfo is the whole DER element (RFC 6698 §2.1.2 selector 1)', () => {
    const read = readCertificate(fixture('srv-id.der'));
    if (!read.ok) throw new Error(read.detail);
    expect(read.value.spki[0]).toBe(TAG.SEQUENCE);
    expect(read.value.subjectDer).toEqual(read.value.issuerDer); // self-issued
  });

  test.each([
    { name: 'empty input', der: bytes() },
    { name: 'truncated after the tag', der: bytes(0x30) },
    { name: 'a length past the end', der: bytes(0x30, 0x05, 0x02, 0x01) },
    { name: 'the indefinite length form (not DER, X.690 §10.1)', der: bytes(0x30, 0x80, 0x00, 0x00) },
    { name: 'five length octets', der: bytes(0x30, 0x85, 0, 0, 0, 0, 1, 0) },
    { name: 'octets after the certificate', der: new Uint8Array([...fixture('dns-id.der'), 0x00]) },
    { name: 'not a SEQUENCE', der: bytes(0x02, 0x01, 0x00) },
    { name: 'a certificate cut short by one octet', der: fixture('dns-id.der').subarray(0, 411) },
    { name: 'a SEQUENCE of nothing', der: bytes(0x30, 0x00) },
  ])('bad input is a malformed result, never a throw: $name', ({ der }) => {
    expect(readCertificate(der).ok).toBe(false);
  });

  test('a hostile 1 MiB field is read without overflowing the stack', () => {
    const content = new Uint8Array(1 << 20).fill(0x41);
    const der = new Uint8Array([0x16, 0x83, 0x10, 0x00, 0x00, ...content]);
    const read = readElement(der, 0);
    expect(read.ok && read.value.node.content.length).toBe(1 << 20);
  });
});

describe('DER primitives (X.690 §8.19, RFC 5280 §4.1.2.5)', () => {
  test.each([
    { name: 'id-on-dnsSRV', content: [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x07], oid: '1.3.6.1.5.5.7.8.7' },
    { name: 'subjectAltName', content: [0x55, 0x1d, 0x11], oid: '2.5.29.17' },
    { name: 'a multi-octet arc', content: [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d], oid: '1.2.840.113549' },
    { name: 'a last octet with the continuation bit', content: [0x2a, 0x86], oid: null },
    { name: 'empty', content: [], oid: null },
  ])('OID: $name', ({ content, oid }) => expect(readOid(bytes(...content))).toBe(oid));

  test.each([
    { name: 'UTCTime 49 is 2049', tag: TAG.UTC_TIME, text: '491231235959Z', iso: '2049-12-31T23:59:59Z' },
    { name: 'UTCTime 50 is 1950', tag: TAG.UTC_TIME, text: '500101000000Z', iso: '1950-01-01T00:00:00Z' },
    { name: 'GeneralizedTime', tag: TAG.GENERALIZED_TIME, text: '20540410190313Z', iso: '2054-04-10T19:03:13Z' },
    { name: 'no Z (RFC 5280 requires UTC)', tag: TAG.UTC_TIME, text: '491231235959', iso: null },
    { name: 'month 13', tag: TAG.UTC_TIME, text: '491331235959Z', iso: null },
  ])('time: $name', ({ tag, text, iso }) => {
    const node = { tag, content: new TextEncoder().encode(text), whole: new Uint8Array() };
    expect(readTime(node)?.iso ?? null).toBe(iso);
  });
});
