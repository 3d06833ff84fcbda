// RFC 7673 §3 with RFC 6698 §2.1 and RFC 7671 §5: DNSSEC-validated TLSA records matched against the presented chain.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { matchDane } from '../../../src/core/probe/match-dane.ts';
import { readCertificate } from '../../../src/core/probe/read-certificate.ts';
import type { DaneResult, TlsaRecord } from '../../../src/core/transport/dane.ts';

const leaf = new Uint8Array(readFileSync('test/fixtures/probe/dns-id.der'));
const anchor = new Uint8Array(readFileSync('test/fixtures/probe/srv-id.der'));
const spki = (der: Uint8Array): Uint8Array => {
  const read = readCertificate(der);
  if (!read.ok) throw new Error(read.detail);
  return read.value.spki;
};
const chain = { certificates: [leaf, anchor], spkis: [spki(leaf), spki(anchor)] };
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha = (algorithm: 'sha256' | 'sha512', b: Uint8Array): string => createHash(algorithm).update(b).digest('hex');
const digest = async (algorithm: 'SHA-256' | 'SHA-512', data: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(createHash(algorithm === 'SHA-256' ? 'sha256' : 'sha512').update(data).digest());

const tlsa = (status: DaneResult['status'], ...records: TlsaRecord[]): DaneResult =>
  ({ host: 'imap.example.org', port: 993, source: 'incoming', status, records });
const rr = (usage: number, selector: number, matchingType: number, data: string): TlsaRecord => ({ usage, selector, matchingType, data });
const LEAF_SPKI_256 = sha('sha256', spki(leaf));

describe('RFC 7673 §3: DANE for the SRV target', () => {
  test.each([
    {
      name: 'RFC 6698 §2.1.3: DANE-EE(3) SPKI(1) SHA-256(1) of the leaf matches',
      result: tlsa('valid', rr(3, 1, 1, LEAF_SPKI_256)), validated: false, expected: 'valid'
    },
    {
      name: 'RFC 6698 §2.1.2: DANE-EE(3) Cert(0) Full(0) matches the whole leaf',
      result: tlsa('valid', rr(3, 0, 0, hex(leaf))), validated: false, expected: 'valid'
    },
    {
      name: 'RFC 6698 §2.1.3: DANE-EE(3) Cert(0) SHA-512(2) matches',
      result: tlsa('valid', rr(3, 0, 2, sha('sha512', leaf))), validated: false, expected: 'valid'
    },
    {
      name: 'RFC 6698 §2.1.3: hex case does not matter',
      result: tlsa('valid', rr(3, 1, 1, LEAF_SPKI_256.toUpperCase())), validated: false, expected: 'valid'
    },
    {
      name: 'RFC 7671 §5.1: DANE-EE(3) of another key is a mismatch',
      result: tlsa('valid', rr(3, 1, 1, '00'.repeat(32))), validated: true, expected: 'mismatch'
    },
    {
      name: 'RFC 7671 §5.1: DANE-EE(3) never matches a certificate above the leaf',
      result: tlsa('valid', rr(3, 1, 1, sha('sha256', spki(anchor)))), validated: true, expected: 'mismatch'
    },
    {
      name: 'RFC 7671 §5.2: DANE-TA(2) matches a chain certificate when the chain validated',
      result: tlsa('valid', rr(2, 0, 1, sha('sha256', anchor))), validated: true, expected: 'valid'
    },
    {
      name: 'RFC 7671 §5.2: DANE-TA(2) does not count where the chain up to it is unchecked',
      result: tlsa('valid', rr(2, 0, 1, sha('sha256', anchor))), validated: false, expected: 'mismatch'
    },
    {
      name: 'RFC 7671 §4.1: one matching record among mismatching ones is enough',
      result: tlsa('valid', rr(3, 1, 1, '11'.repeat(32)), rr(3, 1, 1, LEAF_SPKI_256)), validated: false, expected: 'valid'
    },
    {
      name: 'RFC 7673 §3: TLSA without DNSSEC protects nothing (insecure)',
      result: tlsa('insecure', rr(3, 1, 1, LEAF_SPKI_256)), validated: false, expected: 'insecure'
    },
    {
      name: 'RFC 7673 §3: a TLSA look-up that failed proves nothing (insecure)',
      result: tlsa('error'), validated: false, expected: 'insecure'
    },
    {
      name: 'RFC 6698 §4.1: only unusable records are as good as none (absent)',
      result: tlsa('invalid', rr(4, 1, 1, LEAF_SPKI_256)), validated: false, expected: 'absent'
    },
    { name: 'RFC 7673 §3: no TLSA record (absent)', result: tlsa('absent'), validated: false, expected: 'absent' },
    {
      name: 'RFC 7218 §2.1: PKIX usages 0 and 1 are not matched here (absent)',
      result: tlsa('valid', rr(1, 1, 1, LEAF_SPKI_256)), validated: true, expected: 'absent'
    },
  ])('$name', async ({ result, validated, expected }) => {
    expect(await matchDane(result, chain, validated, digest)).toBe(expected);
  });

  test('RFC 7673 §3: no TLSA answer at all is absent', async () => expect(await matchDane(null, chain, true, digest)).toBe('absent'));
});
