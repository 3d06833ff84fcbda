// Within one discovery a resolver that failed is not asked again, so no time-out is paid twice.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { autoconfigure as discover } from '../../../src/core/autoconfigure.ts';
import { lookup, type DohOptions } from '../../../src/core/dns/doh-client.ts';
import { rememberFailures } from '../../../src/core/dns/resolver-memory.ts';
import { loadTransport } from '../../../src/core/stages.ts';
import { fakeResolver, srv, testPlatform, type FakeAnswer } from '../../support/fake-resolver.ts';
import { address } from '../../support/discovery.ts';
import { settledWithin, timerTimeout } from '../../support/timer-timeout.ts';

const A = 'https://a.example/dns-query';
const B = 'https://b.example/dns-query';
const D = 'example.test';
const zone: Record<string, FakeAnswer> = {
  [`_imaps._tcp.${D}`]: { ad: true, answers: [srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`)] },
  [`_submissions._tcp.${D}`]: { ad: true, answers: [srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`)] },
};
const hung: FakeAnswer = { delayMs: 60_000 };
const at = (url: string): string => url.split('?')[0] ?? url;

describe('resolver memory: a failed resolver is asked once per discovery', () => {
  // Fake timers: time-outs fire when the test advances time, so "within" is checked without the wall clock. The
  // transport stage is loaded first: its import() takes real time, which fake time cannot advance.
  beforeEach(async () => {
    await loadTransport();
    vi.useFakeTimers();
  });
  afterEach(() => void vi.useRealTimers());

  test('a hung first resolver costs one time-out: TLSA and later queries go straight to the one that answered', async () => {
    const timeoutMs = 200;
    const resolver = fakeResolver((name, _type, url) => (at(url) === A ? hung : zone[name] ?? { rcode: 'NXDOMAIN', ad: true }));
    const options = { resolvers: [A, B], method: 'GET', timeoutMs, transport: true } as const;
    const platform = testPlatform(resolver.fetch, { timeout: timerTimeout });
    // A second time-out (TLSA or the probe-free second wave asking A again) would need more than 2 × timeoutMs.
    const result = await settledWithin(discover(address(`alice@${D}`), options, platform), 2 * timeoutMs - 1);
    expect(result).toMatchObject({
      settled: true,
      value: {
        status: 'found',
        incoming: { hostname: `imap.${D}` },
        transport: { dane: [{ status: 'absent' }, { status: 'absent' }] },
      },
    });
    const toA = resolver.calls.filter((c) => at(c.url) === A);
    // The first wave (six SRV, two TXT, MX) meets the hung resolver once each; nothing after it does.
    expect(toA.map((c) => c.type).sort()).toEqual(['MX', 'SRV', 'SRV', 'SRV', 'SRV', 'SRV', 'SRV', 'TXT', 'TXT']);
    expect(resolver.calls.filter((c) => c.type === 'TLSA').every((c) => at(c.url) === B)).toBe(true);
  });

  test('a resolver that answered SERVFAIL for one name is still asked for the next (SERVFAIL is about the name)', async () => {
    const memory = rememberFailures();
    const options: DohOptions = { resolvers: [A, B], method: 'GET', timeoutMs: 500, memory };
    const resolver = fakeResolver((name, _type, url) => (at(url) === A && name.startsWith('_imaps.') ? { rcode: 'SERVFAIL' } : zone[name]));
    const platform = testPlatform(resolver.fetch);
    const srvAt = (label: string) => lookup({ name: `${label}.${D}`, type: 'SRV' }, options, platform);
    expect(await srvAt('_imaps._tcp')).toMatchObject({ status: 'answer', resolver: B });
    expect(await srvAt('_submissions._tcp')).toMatchObject({ status: 'answer', resolver: A });
  });

  test('once every resolver has failed, a later query fails at once with the earlier failures, asking nobody', async () => {
    const memory = rememberFailures();
    const options: DohOptions = { resolvers: [A, B], method: 'GET', timeoutMs: 100, memory };
    const resolver = fakeResolver(() => hung);
    const platform = testPlatform(resolver.fetch, { timeout: timerTimeout });
    const first = await settledWithin(lookup({ name: `_imaps._tcp.${D}`, type: 'SRV' }, options, platform), 200);
    expect(first).toMatchObject({ settled: true, value: { status: 'error', reason: 'timeout' } });
    const asked = resolver.calls.length;
    // No time passes: the answer must come without waiting for any time-out.
    const later = await settledWithin(lookup({ name: `_993._tcp.imap.${D}`, type: 'TLSA' }, options, platform), 0);
    expect(later).toMatchObject({ settled: true, value: { status: 'error', reason: 'timeout', name: `_993._tcp.imap.${D}` } });
    expect(resolver.calls).toHaveLength(asked);
    expect(later.settled && later.value.status === 'error' && later.value.detail).toMatch(/a\.example.*b\.example/);
  });

  test('without a memory (a single lookup), every resolver is tried as before', async () => {
    const resolver = fakeResolver((name, _type, url) => (at(url) === A ? { status: 500 } : zone[name] ?? {}));
    const options: DohOptions = { resolvers: [A, B], method: 'GET', timeoutMs: 500 };
    await lookup({ name: `_imaps._tcp.${D}`, type: 'SRV' }, options, testPlatform(resolver.fetch));
    await lookup({ name: `_imaps._tcp.${D}`, type: 'SRV' }, options, testPlatform(resolver.fetch));
    expect(resolver.calls.filter((c) => at(c.url) === A)).toHaveLength(2);
  });
});
