// RFC 8461 §3.3: "if no live policy can be discovered via DNS or fetched via HTTPS, but a valid
// (non-expired) policy exists in the sender's cache, the sender MUST apply that cached policy."
import { describe, expect, test } from 'vitest';
import { parseHostname, type Hostname } from '../../../src/core/address/parse-hostname.ts';
import type { Fetch } from '../../../src/core/platform.ts';
import { checkMtaSts } from '../../../src/core/transport/mta-sts.ts';
import { fakeResolver, httpResponse, testPlatform, type FakeAnswer } from '../../support/fake-resolver.ts';
import { memoryStorage } from '../../support/memory-storage.ts';

const domain = (parseHostname('example.test') as { hostname: Hostname }).hostname;
const NOW = 1_700_000_000_000; // testPlatform's clock starts here
const CACHED = { mode: 'enforce', maxAge: 86400, mx: ['mx.example.test'] } as const;
const KEY = 'mta-sts:example.test';
const TXT_URL = 'https://mta-sts.example.test/.well-known/mta-sts.txt';

const txt = (text: string): FakeAnswer => ({ ad: true, answers: [{ name: '_mta-sts.example.test', type: 'TXT', data: [text] }] });
const plain = (status: number, body: string): Fetch => async () => httpResponse(new TextEncoder().encode(body), status, 'text/plain');
const failingFetch: Fetch = async () => { throw new TypeError('connect ECONNREFUSED'); };
const notFound = plain(404, 'gone');
const newPolicy = plain(200, 'version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 600\n');

async function run(answer: FakeAnswer, fetchPolicy: Fetch, expiresAt: number) {
  const storage = memoryStorage();
  await storage.set(KEY, { id: 'old', policy: CACHED, expiresAt });
  let fetched = 0;
  const resolver = fakeResolver((name, type) => (name === '_mta-sts.example.test' && type === 'TXT' ? answer : undefined));
  const counting: Fetch = (url, request) => {
    fetched++;
    return fetchPolicy(url, request);
  };
  const platform = testPlatform(resolver.fetch, { storage, fetchPolicy: counting });
  const ctx = { domain, options: { resolvers: ['https://r.example/dns-query'], method: 'GET' as const, timeoutMs: 1000 }, platform };
  const result = await checkMtaSts(ctx, Promise.resolve(['mx.example.test']));
  return { result, fetched, stored: storage.data.get(KEY) };
}

const UNEXPIRED = NOW + 3_600_000;
const EXPIRED = NOW - 1;
const cachedPolicy = {
  status: 'valid',
  id: 'old',
  mode: 'enforce',
  maxAge: 86400,
  mx: ['mx.example.test'],
  mxHosts: ['mx.example.test'],
  mxMismatch: [],
  fromCache: true,
};

/** The §3.3 table: each way the live check can fail, what it reports, and the outcome once the cache has expired. */
const cases = [
  {
    name: 'id changed and the fetch failed',
    answer: txt('v=STSv1; id=new;'),
    fetch: failingFetch,
    live: { status: 'error', reason: 'mta-sts-fetch-failed', detail: `${TXT_URL}: connect ECONNREFUSED` },
  },
  {
    name: 'id changed and the policy host answered 404',
    answer: txt('v=STSv1; id=new;'),
    fetch: notFound,
    live: { status: 'invalid', reason: 'mta-sts-http-status', detail: `${TXT_URL} answered HTTP 404` },
  },
  {
    name: 'the TXT record is gone (NXDOMAIN)',
    answer: { rcode: 'NXDOMAIN', ad: true } as FakeAnswer,
    fetch: newPolicy,
    live: { status: 'absent' },
  },
  {
    name: 'the TXT lookup failed (SERVFAIL)',
    answer: { rcode: 'SERVFAIL' } as FakeAnswer,
    fetch: newPolicy,
    live: { status: 'error', reason: 'mta-sts-lookup-failed', detail: expect.stringContaining('SERVFAIL') },
  },
  {
    name: 'the TXT record is invalid',
    answer: txt('v=STSv1; id=has-dashes;'),
    fetch: newPolicy,
    live: { status: 'invalid', reason: 'mta-sts-txt-syntax', detail: 'v=STSv1; id=has-dashes;' },
  },
  {
    name: 'two v=STSv1 TXT records',
    answer: { ad: true, answers: [...(txt('v=STSv1; id=a;').answers ?? []), ...(txt('v=STSv1; id=b;').answers ?? [])] },
    fetch: newPolicy,
    live: { status: 'invalid', reason: 'mta-sts-txt-multiple', detail: '2 v=STSv1 records' },
  },
];

describe('RFC 8461 §3.3: a cached policy applies when no live policy can be had', () => {
  test.each(cases)(
    'RFC 8461 §3.3: $name, cache unexpired → the cached policy, marked with why the live check failed',
    async ({ answer, fetch, live }) => {
      const { result, stored } = await run(answer, fetch, UNEXPIRED);
      expect(result).toEqual({ ...cachedPolicy, live });
      expect(stored).toEqual({ id: 'old', policy: CACHED, expiresAt: UNEXPIRED }); // nothing live replaced it
    },
  );

  test.each(cases)('RFC 8461 §3.3: $name, cache expired → the live outcome, no cached policy', async ({ answer, fetch, live }) => {
    const { result } = await run(answer, fetch, EXPIRED);
    expect(result).toEqual(live);
  });

  test('RFC 8461 §3.3: the same id with an unexpired entry is the cached policy, no fetch and no live failure', async () => {
    const { result, fetched } = await run(txt('v=STSv1; id=old;'), failingFetch, UNEXPIRED);
    expect(result).toEqual(cachedPolicy);
    expect(fetched).toBe(0);
  });

  test('RFC 8461 §3.3: a new id whose policy is fetched replaces the cached one', async () => {
    const { result, fetched, stored } = await run(txt('v=STSv1; id=new;'), newPolicy, UNEXPIRED);
    expect(result).toMatchObject({ status: 'valid', id: 'new', mode: 'testing', fromCache: false });
    expect(result).not.toHaveProperty('live');
    expect(fetched).toBe(1);
    expect(stored).toMatchObject({ id: 'new', policy: { mode: 'testing' } });
  });
});
