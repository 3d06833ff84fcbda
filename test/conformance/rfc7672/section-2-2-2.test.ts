// RFC 7672 §2.2.2: TLSA for an MX host counts only when the host's address records are
// DNSSEC-secure; a secure CNAME is expanded first, with the original name as the fallback base.
import { describe, expect, test } from 'vitest';
import { parseHostname, type Hostname } from '../../../src/core/address/parse-hostname.ts';
import { checkDane } from '../../../src/core/transport/dane.ts';
import { fakeResolver, testPlatform, type FakeAnswer, type FakeRecord } from '../../support/fake-resolver.ts';

const domain = (parseHostname('example.test') as { hostname: Hostname }).hostname;
const tlsa = (name: string, usage = 3, selector = 1): FakeRecord => (
  { name, type: 'TLSA', data: { usage, selector, matchingType: 1, certificate: Buffer.alloc(32, usage) } }
);
const a = (name: string): FakeRecord => ({ name, type: 'A', data: '192.0.2.25' });
const cname = (name: string, target: string): FakeRecord => ({ name, type: 'CNAME', data: target });

async function mxDane(answers: Record<string, FakeAnswer>) {
  const resolver = fakeResolver((name, type) => answers[`${type} ${name}`] ?? { rcode: 'NXDOMAIN', ad: true });
  const options = { resolvers: ['https://r.example/dns-query'], method: 'GET' as const, timeoutMs: 1000 };
  const ctx = { domain, options, platform: testPlatform(resolver.fetch) };
  const result = await checkDane(ctx, { host: 'mx.example.test', port: 25, dnssec: true, source: 'mx' });
  return { result, asked: resolver.calls.map((c) => `${c.type} ${c.name}`).sort() };
}

const secureTlsa = { 'TLSA _25._tcp.mx.example.test': { ad: true, answers: [tlsa('_25._tcp.mx.example.test')] } };
const noAaaa = { 'AAAA mx.example.test': { ad: true } };

describe('RFC 7672 §2.2.2: DANE for MX hosts', () => {
  test('RFC 7672 §2.2.2: secure address records and a secure TLSA are valid; A and AAAA are asked', async () => {
    const { result, asked } = await mxDane({
      ...secureTlsa,
      ...noAaaa,
      'A mx.example.test': { ad: true, answers: [a('mx.example.test')] },
    });
    expect(result).toMatchObject({ host: 'mx.example.test', port: 25, source: 'mx', status: 'valid' });
    expect(asked).toEqual(['AAAA mx.example.test', 'A mx.example.test', 'TLSA _25._tcp.mx.example.test'].sort());
  });

  test('RFC 7672 §2.2.2: address records that are not DNSSEC-validated make a validated TLSA insecure', async () => {
    const { result } = await mxDane({ ...secureTlsa, ...noAaaa, 'A mx.example.test': { ad: false, answers: [a('mx.example.test')] } });
    expect(result).toMatchObject({ status: 'insecure', reason: 'dane-address-insecure', records: [expect.objectContaining({ usage: 3 })] });
  });

  test('RFC 7672 §2.2.2: an address lookup that failed means DANE could not be checked', async () => {
    const { result } = await mxDane({ ...secureTlsa, ...noAaaa, 'A mx.example.test': { rcode: 'SERVFAIL' } });
    expect(result).toMatchObject({ status: 'error', reason: 'dane-lookup-failed', detail: expect.stringContaining('SERVFAIL') });
  });

  test('RFC 7672 §2.2.2: a secure CNAME is expanded: TLSA at the target name comes first', async () => {
    const chain = { ad: true, answers: [cname('mx.example.test', 'mx.provider.test'), a('mx.provider.test')] };
    const { result, asked } = await mxDane({
      ...secureTlsa, ...noAaaa, 'A mx.example.test': chain,
      'TLSA _25._tcp.mx.provider.test': { ad: true, answers: [tlsa('_25._tcp.mx.provider.test', 2, 0)] },
    });
    expect(result).toMatchObject({ status: 'valid', tlsaBase: 'mx.provider.test', records: [{ usage: 2, selector: 0, matchingType: 1 }] });
    expect(asked).toContain('TLSA _25._tcp.mx.provider.test');
  });

  test('RFC 7672 §2.2.2: with no TLSA at the CNAME target, the original MX host name is the base', async () => {
    const chain = { ad: true, answers: [cname('mx.example.test', 'mx.provider.test'), a('mx.provider.test')] };
    const { result } = await mxDane({ ...secureTlsa, ...noAaaa, 'A mx.example.test': chain });
    expect(result).toMatchObject({ status: 'valid', records: [{ usage: 3 }] });
    expect(result).not.toHaveProperty('tlsaBase');
  });
});
