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
const failingFetch: Fetch = async () => { throw new TypeError('connect ECONNREFUSED'); };
const notFound: Fetch = async () => httpResponse(new TextEncoder().encode('gone'), 404, 'text/plain');
const newPolicy: Fetch = async () => httpResponse(new TextEncoder().encode('version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 600\n'), 200, 'text/plain');

async function run(answer: FakeAnswer, fetchPolicy: Fetch, expiresAt: number) {
  const storage = memoryStorage();
  await storage.set(KEY, { id: 'old', policy: CACHED, expiresAt });
  let fetched = 0;
  const resolver = fakeResolver((name, type) => (name === '_mta-sts.example.test' && type === 'TXT' ? answer : undefined));
  const platform = testPlatform(resolver.fetch, { storage, fetchPolicy: (url, request) => { fetched++; return fetchPolicy(url, request); } });
  const ctx = { domain, options: { resolvers: ['https://r.example/dns-query'], method: 'GET' as const, timeoutMs: 1000 }, platform };
  const result = await checkMtaSts(ctx, Promise.resolve(['mx.example.test']));
  return { result, fetched, stored: storage.data.get(KEY) };
}

const UNEXPIRED = NOW + 3_600_000;
const EXPIRED = NOW - 1;
const cachedPolicy = { status: 'valid', id: 'old', mode: 'enforce', maxAge: 86400, mx: ['mx.example.test'], mxHosts: ['mx.example.test'], mxMismatch: [], fromCache: true };

describe('RFC 8461 §3.3: a cached policy applies when no live policy can be had', () => {
  test.each([
    {
      name: 'id changed and the fetch failed', answer: txt('v=STSv1; id=new;'), fetch: failingFetch,
      live: { status: 'error', reason: 'mta-sts-fetch-failed', detail: `${TXT_URL}: connect ECONNREFUSED` },
    },
    { name: 'id changed and the policy host answered 404', answer: txt('v=STSv1; id=new;'), fetch: notFound, live: { status: 'invalid', reason: 'mta-sts-http-status', detail: `${TXT_URL} answered HTTP 404` } },
    { name: 'the TXT record is gone (NXDOMAIN)', answer: { rcode: 'NXDOMAIN', ad: true } as FakeAnswer, fetch: newPolicy, live: { status: 'absent' } },
    { name: 'the TXT lookup failed (SERVFAIL)', answer: { rcode: 'SERVFAIL' } as FakeAnswer, fetch: newPolicy, live: { status: 'error', reason: 'mta-sts-lookup-failed' } },
    { name: 'the TXT record is invalid', answer: txt('v=STSv1; id=has-dashes;'), fetch: newPolicy, live: { status: 'invalid', reason: 'mta-sts-txt-syntax', detail: 'v=STSv1; id=has-dashes;' } },
  ])('RFC 8461 §3.3: $name, cache unexpired → the cached policy, marked with why the live check failed', async ({ answer, fetch, live }) => {
    const { result, stored } = await run(answer, fetch, UNEXPIRED);
    expect(result).toEqual({ ...cachedPolicy, live: live.status === 'error' && live.detail === undefined ? { ...live, detail: expect.stringContaining('SERVFAIL') } : live });
    expect(stored).toEqual({ id: 'old', policy: CACHED, expiresAt: UNEXPIRED }); // nothing live replaced it
  });

  test.each([
    { name: 'id changed and the fetch failed', answer: txt('v=STSv1; id=new;'), fetch: failingFetch, expected: { status: 'error', reason: 'mta-sts-fetch-failed' } },
    { name: 'id changed and the policy host answered 404', answer: txt('v=STSv1; id=new;'), fetch: notFound, expected: { status: 'invalid', reason: 'mta-sts-http-status' } },
    { name: 'the TXT record is gone (NXDOMAIN)', answer: { rcode: 'NXDOMAIN', ad: true } as FakeAnswer, fetch: newPolicy, expected: { status: 'absent' } },
    { name: 'the TXT lookup failed (SERVFAIL)', answer: { rcode: 'SERVFAIL' } as FakeAnswer, fetch: newPolicy, expected: { status: 'error', reason: 'mta-sts-lookup-failed' } },
    { name: 'the TXT record is invalid', answer: txt('v=STSv1; id=has-dashes;'), fetch: newPolicy, expected: { status: 'invalid', reason: 'mta-sts-txt-syntax' } },
  ])('RFC 8461 §3.3: $name, cache expired → the live outcome, no cached policy', async ({ answer, fetch, expected }) => {
    const { result } = await run(answer, fetch, EXPIRED);
    expect(result).toMatchObject(expected);
    expect(result).not.toHaveProperty('live');
    expect(result).not.toHaveProperty('fromCache', true);
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
