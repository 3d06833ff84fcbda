// RFC 8461 §3.2 max_age: "maximum lifetime of the policy in seconds"; §5.1: a cached policy of the
// same id is used without a fetch while it lives, and fetched again once it has expired.
import { expect, test } from 'vitest';
import { parseHostname, type Hostname } from '../../../src/core/address/parse-hostname.ts';
import type { Fetch } from '../../../src/core/platform.ts';
import { checkMtaSts } from '../../../src/core/transport/mta-sts.ts';
import { fakeResolver, httpResponse, testPlatform } from '../../support/fake-resolver.ts';
import { memoryStorage } from '../../support/memory-storage.ts';

const domain = (parseHostname('example.test') as { hostname: Hostname }).hostname;
const POLICY = 'version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 600\n';

test('RFC 8461 §3.2 and §5.1: a policy is reused for max_age seconds (600 here) and fetched again after', async () => {
  let now = 1_700_000_000_000;
  let fetched = 0;
  const fetchPolicy: Fetch = async () => {
    fetched++;
    return httpResponse(new TextEncoder().encode(POLICY), 200, 'text/plain');
  };
  const resolver = fakeResolver((name, type) => (name === '_mta-sts.example.test' && type === 'TXT'
    ? { ad: true, answers: [{ name, type: 'TXT', data: ['v=STSv1; id=1;'] }] }
    : undefined));
  const platform = testPlatform(resolver.fetch, { storage: memoryStorage(), fetchPolicy, now: () => now });
  const ctx = { domain, options: { resolvers: ['https://r.example/dns-query'], method: 'GET' as const, timeoutMs: 1000 }, platform };
  const check = () => checkMtaSts(ctx, Promise.resolve(['mx.example.test']));

  expect(await check()).toMatchObject({ status: 'valid', maxAge: 600 });
  expect(fetched).toBe(1);
  now += 599_000;
  expect(await check()).toMatchObject({ status: 'valid', maxAge: 600 });
  expect(fetched).toBe(1);
  now += 2_000;
  expect(await check()).toMatchObject({ status: 'valid', maxAge: 600 });
  expect(fetched).toBe(2);
});
