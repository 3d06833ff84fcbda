import { describe, expect, test, vi } from 'vitest';
import { lookup, type DohOptions } from '../../../src/core/dns/doh-client.ts';
import { MAX_CNAME_HOPS } from '../../../src/core/dns/follow-cname.ts';
import type { Fetch } from '../../../src/core/platform.ts';
import { fakeResolver, httpResponse, srv, testPlatform, type FakeAnswer } from '../../support/fake-resolver.ts';
import { settledWithin, timerTimeout } from '../../support/timer-timeout.ts';

const Q = { name: '_imaps._tcp.example.test', type: 'SRV' } as const;
const A = 'https://a.example/dns-query';
const B = 'https://b.example/dns-query';
const options = (over: Partial<DohOptions> = {}): DohOptions => ({ resolvers: [A], method: 'GET', timeoutMs: 2000, ...over });
const good: FakeAnswer = { ad: true, answers: [srv(Q.name, 0, 1, 993, 'imap.example.test')] };

/** A resolver that answers per URL: `byResolver[url]`. */
function perResolver(byResolver: Record<string, FakeAnswer>) {
  return fakeResolver((_name, _type, url) => byResolver[url.split('?')[0] ?? url]);
}

describe('lookup: RFC 8484 DoH client', () => {
  test.each([
    { name: 'HTTP 500', answer: { status: 500 }, reason: 'http-status' },
    { name: 'HTTP 404', answer: { status: 404 }, reason: 'http-status' },
    { name: 'text/html body', answer: { ...good, contentType: 'text/html' }, reason: 'content-type' },
    { name: 'SERVFAIL', answer: { rcode: 'SERVFAIL' }, reason: 'servfail' },
    { name: 'REFUSED', answer: { rcode: 'REFUSED' }, reason: 'refused' },
    { name: 'empty body', answer: { raw: new Uint8Array() }, reason: 'malformed-response' },
    { name: 'body over 65535 octets', answer: { raw: new Uint8Array(70000) }, reason: 'response-too-large' },
  ] as { name: string; answer: FakeAnswer; reason: string }[])(
    '$name is an error naming the resolver and the name, and the next resolver is asked',
    async ({ answer, reason }) => {
      const resolver = perResolver({ [A]: answer, [B]: good });
      const fallback = await lookup(Q, options({ resolvers: [A, B] }), testPlatform(resolver.fetch));
      expect(fallback).toMatchObject({ status: 'answer', resolver: B });
      const alone = await lookup(Q, options(), testPlatform(resolver.fetch));
      expect(alone).toMatchObject({ status: 'error', reason, resolver: A, name: Q.name });
    },
  );

  test('content type parameters are accepted (application/dns-message; charset ignored)', async () => {
    const resolver = fakeResolver(() => ({ ...good, contentType: 'Application/DNS-Message; q=1' }));
    expect((await lookup(Q, options(), testPlatform(resolver.fetch))).status).toBe('answer');
  });

  test('a declared Content-Length over 65535 is refused before the body is read', async () => {
    let read = false;
    const fetch: Fetch = async () => ({
      status: 200,
      headers: { get: (n) => ({ 'content-type': 'application/dns-message', 'content-length': '1000000' })[n.toLowerCase()] ?? null },
      arrayBuffer: async () => { read = true; return new ArrayBuffer(0); },
    });
    expect(await lookup(Q, options(), testPlatform(fetch))).toMatchObject({ status: 'error', reason: 'response-too-large' });
    expect(read).toBe(false);
  });

  test('a resolver slower than the time-out is abandoned within the time-out (fake timers)', async () => {
    vi.useFakeTimers();
    try {
      const resolver = perResolver({ [A]: { ...good, delayMs: 5000 }, [B]: good });
      const platform = testPlatform(resolver.fetch, { timeout: timerTimeout });
      const both = await settledWithin(lookup(Q, options({ resolvers: [A, B], timeoutMs: 100 }), platform), 101);
      expect(both).toMatchObject({ settled: true, value: { status: 'answer', resolver: B } });
      const alone = await settledWithin(lookup(Q, options({ timeoutMs: 100 }), platform), 101);
      expect(alone).toMatchObject({ settled: true, value: { status: 'error', reason: 'timeout', resolver: A } });
    } finally {
      vi.useRealTimers();
    }
  });

  test('a network failure is an error, and all failures are listed when every resolver fails', async () => {
    const fetch: Fetch = async (url) => { throw new TypeError(`connect ECONNREFUSED ${url.slice(0, 20)}`); };
    const result = await lookup(Q, options({ resolvers: [A, B] }), testPlatform(fetch));
    expect(result).toMatchObject({ status: 'error', reason: 'network', resolver: B });
    expect(result.status === 'error' && result.detail).toMatch(/a\.example.*b\.example/);
  });

  test('NXDOMAIN is an answer ("no record"), not a failure: no other resolver is asked', async () => {
    const resolver = perResolver({ [A]: { rcode: 'NXDOMAIN', ad: true }, [B]: good });
    expect(await lookup(Q, options({ resolvers: [A, B] }), testPlatform(resolver.fetch))).toEqual({
      status: 'nxdomain',
      ad: true,
      resolver: A,
    });
    expect(resolver.calls).toHaveLength(1);
  });

  test('NOERROR without records of the type is NODATA', async () => {
    const resolver = fakeResolver(() => ({ answers: [{ name: Q.name, type: 'TXT', data: ['x'] }] }));
    expect(await lookup(Q, options(), testPlatform(resolver.fetch))).toEqual({ status: 'nodata', ad: false, resolver: A });
  });

  test('a CNAME chain in the answer is followed to the SRV records, cached no longer than the CNAME (RFC 2181 §10.1.1)', async () => {
    const resolver = fakeResolver(() => ({
      answers: [
        { name: Q.name, type: 'CNAME', ttl: 60, data: 'real.example.test' },
        srv('real.example.test', 0, 1, 993, 'imap.example.test', 3600),
      ],
    }));
    const result = await lookup(Q, options(), testPlatform(resolver.fetch));
    expect(result.status === 'answer' && result.records.map((r) => r.data)).toEqual([
      { type: 'SRV', priority: 0, weight: 1, port: 993, target: 'imap.example.test' },
    ]);
    expect(result.status === 'answer' && result.records[0]?.ttl).toBe(60);
  });

  test('a CNAME loop is an error and the next resolver is asked', async () => {
    const loop: FakeAnswer = {
      answers: [
        { name: Q.name, type: 'CNAME', data: 'b.test' },
        { name: 'b.test', type: 'CNAME', data: Q.name },
      ],
    };
    const resolver = perResolver({ [A]: loop, [B]: good });
    expect(await lookup(Q, options({ resolvers: [A, B] }), testPlatform(resolver.fetch))).toMatchObject({ status: 'answer', resolver: B });
    expect(await lookup(Q, options(), testPlatform(resolver.fetch))).toMatchObject({ status: 'error', reason: 'cname-loop' });
  });

  // An authoritative-only server (aa, no ra) answers a CNAME'd name with the CNAME alone.
  const PROVIDER = '_imaps._tcp.provider.test';
  const alias = (target = PROVIDER, owner: string = Q.name, ttl = 600): FakeAnswer => ({
    answers: [{ name: owner, type: 'CNAME', ttl, data: target }],
  });

  test('RFC 1034 §3.6.2: an answer ending in a CNAME the server did not follow is followed with a new query', async () => {
    const provider: FakeAnswer = { answers: [srv(PROVIDER, 0, 1, 993, 'imap.provider.test', 3600)] };
    const resolver = fakeResolver((name) => (name === Q.name ? alias() : name === PROVIDER ? provider : undefined));
    const result = await lookup(Q, options(), testPlatform(resolver.fetch));
    expect(result).toMatchObject({
      status: 'answer',
      resolver: A,
      records: [{ name: PROVIDER, data: { type: 'SRV', port: 993, target: 'imap.provider.test' } }],
    });
    expect(resolver.calls.map((c) => c.name)).toEqual([Q.name, PROVIDER]);
    // RFC 2181 §10.1.1: the answer for the alias lasts no longer than the CNAME that led to it.
    expect(result.status === 'answer' && result.records[0]?.ttl).toBe(600);
  });

  test('RFC 1034 §3.6.2: a followed CNAME whose target has no record is NODATA, and AD holds only if every step had it', async () => {
    const resolver = fakeResolver((name) => (name === Q.name ? { ...alias(), ad: true } : { answers: [], ad: false }));
    expect(await lookup(Q, options(), testPlatform(resolver.fetch))).toMatchObject({ status: 'nodata', ad: false });
    const nx = fakeResolver((name) => (name === Q.name ? alias() : { rcode: 'NXDOMAIN' }));
    expect(await lookup(Q, options(), testPlatform(nx.fetch))).toMatchObject({ status: 'nxdomain' });
  });

  test('RFC 1034 §3.6.2: CNAMEs across queries are loop-safe and bounded', async () => {
    const loop = fakeResolver((name) => (name === Q.name ? alias('b.test') : alias(Q.name, name)));
    expect(await lookup(Q, options(), testPlatform(loop.fetch))).toMatchObject({ status: 'error', reason: 'cname-loop', name: Q.name });
    expect(loop.calls.length).toBeLessThanOrEqual(2);
    const endless = fakeResolver((name) => ({ answers: [{ name, type: 'CNAME', data: `x${name}` }] }));
    expect(await lookup(Q, options(), testPlatform(endless.fetch))).toMatchObject({ status: 'error', reason: 'cname-loop' });
    expect(endless.calls.length).toBeLessThanOrEqual(MAX_CNAME_HOPS + 1);
  });

  test('a CNAME target that cannot be asked for is an error, never "no record"', async () => {
    const resolver = fakeResolver(() => alias('bad name.test'));
    const result = await lookup(Q, options(), testPlatform(resolver.fetch));
    expect(result).toMatchObject({ status: 'error', reason: 'cname-target-invalid', name: Q.name });
  });

  test('a failure while following a CNAME is an error naming the label', async () => {
    const resolver = fakeResolver((name) => (name === Q.name ? alias() : { rcode: 'SERVFAIL' }));
    const result = await lookup(Q, options(), testPlatform(resolver.fetch));
    expect(result).toMatchObject({ status: 'error', reason: 'servfail', name: Q.name, detail: expect.stringContaining(PROVIDER) });
  });

  test('an answer to another question is refused', async () => {
    const wrong = fakeResolver(() => good);
    const fetch: Fetch = async (url, request) => {
      const other = await wrong.fetch(url, request);
      const body = new Uint8Array(await other.arrayBuffer());
      body[14] = 0x78; // the question's first label '_imaps' becomes '_xmaps'
      return httpResponse(body);
    };
    expect(await lookup(Q, options(), testPlatform(fetch))).toMatchObject({ status: 'error', reason: 'question-mismatch' });
  });
});
