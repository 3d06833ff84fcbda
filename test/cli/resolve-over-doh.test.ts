// src/cli/resolve-over-doh.ts: node:net's lookup answered from DoH results, A before AAAA.
import type { LookupAddress } from 'node:dns';
import { describe, expect, test } from 'vitest';
import type { LookupResult } from '../../src/core/index.ts';
import { resolveOverDoh } from '../../src/cli/resolve-over-doh.ts';

type Answers = Partial<Record<'A' | 'AAAA', LookupResult>>;
const R = 'https://r.example/dns-query';
const answer = (type: 'A' | 'AAAA' | 'CNAME', ...addresses: string[]): LookupResult => ({
  status: 'answer', ad: false, resolver: R,
  records: addresses.map((address) => ({
    name: 'mta-sts.example.test', ttl: 60, data: type === 'CNAME' ? { type: 'other', code: 5 } : { type, address },
  })),
});
const nodata: LookupResult = { status: 'nodata', ad: false, resolver: R };

/** What node:net would get back, and the questions asked in order. */
async function resolve(answers: Answers, all = false) {
  const asked: string[] = [];
  const lookup = resolveOverDoh(async ({ name, type }) => {
    asked.push(`${name} ${type}`);
    return answers[type] ?? nodata;
  });
  type Got = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family: number | undefined };
  const got = await new Promise<Got>((done) =>
    lookup('MTA-STS.Example.test', { all }, ((error: Got['error'], address: Got['address'], family?: number) =>
      done({ error, address, family })) as never));
  return { ...got, asked };
}

describe('resolveOverDoh', () => {
  test('an A answer is used, and AAAA is not asked (the name lower-cased)', async () => {
    const got = await resolve({ A: answer('A', '192.0.2.1', '192.0.2.2') });
    expect(got).toMatchObject({ error: null, address: '192.0.2.1', family: 4, asked: ['mta-sts.example.test A'] });
  });

  test('without an A record, AAAA; with { all: true } every address', async () => {
    const got = await resolve({ AAAA: answer('AAAA', '2001:db8::1', '2001:db8::2') }, true);
    expect(got.error).toBeNull();
    expect(got.address).toEqual([{ address: '2001:db8::1', family: 6 }, { address: '2001:db8::2', family: 6 }]);
    expect(got.asked).toEqual(['mta-sts.example.test A', 'mta-sts.example.test AAAA']);
  });

  test('records that are not addresses do not count: no address is ENOTFOUND', async () => {
    const got = await resolve({ A: answer('CNAME', 'ignored'), AAAA: { status: 'nxdomain', ad: false, resolver: R } });
    expect(got.error).toMatchObject({ code: 'ENOTFOUND', message: 'MTA-STS.Example.test: no address (NXDOMAIN or NODATA)' });
  });

  test('a DoH failure is the error, with its detail, and nothing more is asked', async () => {
    const failed: LookupResult = { status: 'error', reason: 'timeout', resolver: R, name: 'x', detail: 'no answer within 5000 ms' };
    const got = await resolve({ A: failed, AAAA: answer('AAAA', '2001:db8::1') });
    expect(got.error?.message).toBe('MTA-STS.Example.test: no answer within 5000 ms');
    expect(got.asked).toHaveLength(1);
  });
});
