// checkMtaSts with the policy fetch faked at the boundary: what browsers hand back that a Node
// server cannot (an opaque redirect), declared sizes, non-text bodies, time-outs.
import { describe, expect, test, vi } from 'vitest';
import { parseHostname, type Hostname } from '../../../src/core/address/parse-hostname.ts';
import type { Fetch, HttpRequest } from '../../../src/core/platform.ts';
import { checkMtaSts, policyUrl } from '../../../src/core/transport/mta-sts.ts';
import { fakeResolver, testPlatform } from '../../support/fake-resolver.ts';
import { settledWithin, timerTimeout } from '../../support/timer-timeout.ts';

const domain = (parseHostname('example.test') as { hostname: Hostname }).hostname;
const POLICY = 'version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 600\n';

function run(fetchPolicy: Fetch, timeoutMs = 1000, timeout?: (ms: number) => AbortSignal) {
  const resolver = fakeResolver((name) => (name === '_mta-sts.example.test'
    ? { ad: true, answers: [{ name, type: 'TXT', data: ['v=STSv1; id=7;'] }, { name, type: 'TXT', data: ['unrelated text'] }] }
    : undefined));
  const ctx = {
    domain,
    options: { resolvers: ['https://r.example/dns-query'], method: 'GET' as const, timeoutMs },
    platform: testPlatform(resolver.fetch, { fetchPolicy, ...(timeout === undefined ? {} : { timeout }) }),
  };
  return checkMtaSts(ctx, Promise.resolve(['mx.example.test']));
}

const respond =
  (status: number, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'text/plain' }): Fetch =>
  async () => ({
    status,
    headers: { get: (n) => headers[n.toLowerCase()] ?? null },
    arrayBuffer: async () => (typeof body === 'string' ? new TextEncoder().encode(body) : body).slice().buffer as ArrayBuffer,
  });

describe('checkMtaSts', () => {
  test('asks exactly https://mta-sts.<domain>/.well-known/mta-sts.txt, manual redirects, 64 KiB cap', async () => {
    const seen: { url: string; request: HttpRequest }[] = [];
    const inner = respond(200, POLICY);
    const result = await run((url, request) => { seen.push({ url, request }); return inner(url, request); });
    expect(result).toMatchObject({ status: 'valid', id: '7', mode: 'enforce', mxMismatch: [] });
    expect(seen.map((s) => s.url)).toEqual(['https://mta-sts.example.test/.well-known/mta-sts.txt']);
    expect(seen[0]?.request).toMatchObject({ method: 'GET', redirect: 'manual', maxBytes: 65536 });
    expect(policyUrl('a.example')).toBe('https://mta-sts.a.example/.well-known/mta-sts.txt');
  });

  test.each([
    { name: 'an opaque redirect (browser, status 0)', fetch: respond(0, ''), reason: 'mta-sts-redirect' },
    { name: 'a 302', fetch: respond(302, '', { location: 'https://evil.test/' }), reason: 'mta-sts-redirect' },
    { name: 'a 404', fetch: respond(404, 'not found'), reason: 'mta-sts-http-status' },
    { name: 'no content type', fetch: respond(200, POLICY, {}), reason: 'mta-sts-content-type' },
    {
      name: 'a declared length over 64 KiB',
      fetch: respond(200, POLICY, { 'content-type': 'text/plain', 'content-length': '65537' }),
      reason: 'mta-sts-too-large',
    },
    { name: 'a body over 64 KiB', fetch: respond(200, 'x'.repeat(65537)), reason: 'mta-sts-too-large' },
    { name: 'a body that is not UTF-8', fetch: respond(200, new Uint8Array([0x76, 0xff, 0xfe])), reason: 'mta-sts-syntax' },
  ])('$name is invalid ($reason)', async ({ fetch, reason }) => {
    expect(await run(fetch)).toMatchObject({ status: 'invalid', reason });
  });

  test('a network or certificate failure is an error carrying the message', async () => {
    const result = await run(async () => { throw new TypeError('certificate has expired'); });
    expect(result).toEqual({
      status: 'error',
      reason: 'mta-sts-fetch-failed',
      detail: 'https://mta-sts.example.test/.well-known/mta-sts.txt: certificate has expired',
    });
  });

  test('a policy host slower than the time-out is an error within the time-out (fake timers)', async () => {
    vi.useFakeTimers();
    try {
      const hang: Fetch = (_url, request) =>
        new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(new Error('aborted'))));
      const result = await settledWithin(run(hang, 100, timerTimeout), 101);
      expect(result).toMatchObject({
        settled: true,
        value: { status: 'error', reason: 'mta-sts-fetch-failed', detail: expect.stringContaining('within 100 ms') },
      });
    } finally {
      vi.useRealTimers();
    }
  });
});
