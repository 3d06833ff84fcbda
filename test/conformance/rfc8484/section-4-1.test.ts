// RFC 8484 §4.1 (the HTTP request) and RFC 8467 §4.1 (block-length padding) for the DoH client.
import { describe, expect, test } from 'vitest';
import { lookup, type DohOptions } from '../../../src/core/dns/doh-client.ts';
import type { Fetch, HttpRequest } from '../../../src/core/platform.ts';
import { fakeResolver, srv, testPlatform, type FakeAnswer } from '../../support/fake-resolver.ts';

const Q = { name: '_imaps._tcp.example.test', type: 'SRV' } as const;
const A = 'https://a.example/dns-query';
const options = (over: Partial<DohOptions> = {}): DohOptions => ({ resolvers: [A], method: 'GET', timeoutMs: 2000, ...over });
const good: FakeAnswer = { ad: true, answers: [srv(Q.name, 0, 1, 993, 'imap.example.test')] };

describe('RFC 8484 §4.1', () => {
  test('RFC 8484 §4.1: GET carries ?dns= base64url without padding, Accept application/dns-message', async () => {
    const seen: { url: string; request: HttpRequest }[] = [];
    const inner = fakeResolver(() => good);
    const fetch: Fetch = (url, request) => { seen.push({ url, request }); return inner.fetch(url, request); };
    const result = await lookup(Q, options(), testPlatform(fetch));
    expect(result).toMatchObject({ status: 'answer', ad: true, resolver: A });
    const [{ url, request }] = seen as [{ url: string; request: HttpRequest }];
    expect(url).toMatch(/^https:\/\/a\.example\/dns-query\?dns=[A-Za-z0-9_-]+$/);
    expect(request.method).toBe('GET');
    expect(request.body).toBeUndefined();
    expect(request.headers).toEqual({ accept: 'application/dns-message' });
    expect(request.redirect).toBe('error');
  });

  test('RFC 8484 §4.1: a resolver URL with a query string gets &dns=', async () => {
    const resolver = fakeResolver(() => good);
    await lookup(Q, options({ resolvers: ['https://a.example/q?ct'] }), testPlatform(resolver.fetch));
    expect(resolver.calls[0]?.url).toMatch(/^https:\/\/a\.example\/q\?ct&dns=/);
  });

  test('RFC 8484 §4.1: POST sends the message as the body with Content-Type application/dns-message', async () => {
    const seen: HttpRequest[] = [];
    const inner = fakeResolver(() => good);
    const fetch: Fetch = (url, request) => { seen.push(request); return inner.fetch(url, request); };
    const result = await lookup(Q, options({ method: 'POST' }), testPlatform(fetch));
    expect(result.status).toBe('answer');
    expect(seen[0]?.body?.length).toBeGreaterThan(12);
    // RFC 9110 §8.6: BIND 9 answers HTTP 400 to a DoH POST without Content-Length.
    expect(seen[0]?.headers).toEqual({
      accept: 'application/dns-message',
      'content-type': 'application/dns-message',
      'content-length': String(seen[0]?.body?.length),
    });
    expect(inner.calls[0]).toMatchObject({ method: 'POST', name: Q.name, type: 'SRV' });
  });

  test('RFC 8467 §4.1: queries to a remote resolver are padded to 128 octets, to a loopback one not', async () => {
    const sizes: number[] = [];
    const inner = fakeResolver(() => good);
    const fetch: Fetch = (url, request) => { sizes.push(request.body?.length ?? 0); return inner.fetch(url, request); };
    await lookup(Q, options({ method: 'POST' }), testPlatform(fetch));
    await lookup(Q, options({ method: 'POST', resolvers: ['https://127.0.0.1:8443/dns-query'] }), testPlatform(fetch));
    expect(sizes[0]! % 128).toBe(0);
    expect(sizes[1]! % 128).not.toBe(0);
  });

});
