// RFC 7672 §3.1.3 (usages for SMTP), RFC 7673 §3 and RFC 7671 (DNSSEC makes TLSA count).
import { describe, expect, test } from 'vitest';
import { parseHostname, type Hostname } from '../../../src/core/address/parse-hostname.ts';
import { checkDane } from '../../../src/core/transport/dane.ts';
import { fakeResolver, testPlatform, type FakeAnswer } from '../../support/fake-resolver.ts';

const domain = (parseHostname('example.test') as { hostname: Hostname }).hostname;
const tlsa = (usage: number, selector = 1, matchingType = 1) => ({
  name: '_25._tcp.mx.example.test',
  type: 'TLSA' as const,
  data: { usage, selector, matchingType, certificate: Buffer.alloc(matchingType === 2 ? 64 : 32, 1) },
});

async function dane(answer: FakeAnswer, source: 'mx' | 'incoming', dnssec = true) {
  const resolver = fakeResolver(() => answer);
  const ctx = {
    domain,
    options: { resolvers: ['https://r.example/dns-query'], method: 'GET' as const, timeoutMs: 1000 },
    platform: testPlatform(resolver.fetch),
  };
  const result = await checkDane(ctx, { host: 'mx.example.test', port: 25, dnssec, source });
  return { result, asked: resolver.calls.map((c) => `${c.type} ${c.name}`) };
}

describe('DANE', () => {
  test('RFC 7672 §2.2: the TLSA name is _<port>._tcp.<host>', async () => {
    expect((await dane({ ad: true, answers: [tlsa(3)] }, 'mx')).asked.filter((q) => q.startsWith('TLSA'))).toEqual([
      'TLSA _25._tcp.mx.example.test',
    ]);
  });

  test('RFC 7672 §3.1.3: for SMTP, PKIX-TA(0) and PKIX-EE(1) are unusable', async () => {
    expect((await dane({ ad: true, answers: [tlsa(0), tlsa(1)] }, 'mx')).result).toMatchObject({
      status: 'invalid',
      reason: 'dane-unusable',
    });
    expect((await dane({ ad: true, answers: [tlsa(1), tlsa(2)] }, 'mx')).result).toMatchObject({ status: 'valid' });
  });

  test('RFC 6698 §2.1: for SRV targets all four usages count, unknown ones do not', async () => {
    expect((await dane({ ad: true, answers: [tlsa(1)] }, 'incoming')).result).toMatchObject({ status: 'valid' });
    expect((await dane({ ad: true, answers: [tlsa(4), tlsa(3, 2), tlsa(3, 1, 3)] }, 'incoming')).result).toMatchObject({
      status: 'invalid',
      reason: 'dane-unusable',
    });
  });

  test('RFC 7673 §3: TLSA without AD, or under an SRV/MX answer without AD, is insecure', async () => {
    expect((await dane({ ad: false, answers: [tlsa(3)] }, 'mx')).result).toMatchObject({ status: 'insecure' });
    expect((await dane({ ad: true, answers: [tlsa(3)] }, 'mx', false)).result).toMatchObject({ status: 'insecure' });
  });

  test('RFC 7672 §2.2: no TLSA is absent; a SERVFAIL is an error with a reason', async () => {
    expect((await dane({ rcode: 'NXDOMAIN', ad: true }, 'mx')).result).toEqual({
      host: 'mx.example.test',
      port: 25,
      source: 'mx',
      status: 'absent',
    });
    expect((await dane({ rcode: 'SERVFAIL' }, 'mx')).result).toMatchObject({ status: 'error', reason: 'dane-lookup-failed' });
  });
});
