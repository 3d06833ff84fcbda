// Platform.connect over the probe Experiment, with the Experiment faked at its boundary (the real one runs in
// test/e2e/thunderbird-probe.test.ts): arguments passed on, the chain turned into bytes, the signal obeyed.
import { describe, expect, test } from 'vitest';
import { lazyProbeGlue, type ProbeExperiment } from '../../src/background/probe-experiment.ts';
import type { Browser } from '../../src/browser-api.ts';

// Octets that make base64url's '-' and '_' and one '=' of padding, as ChromeUtils.base64URLEncode({pad: true}) writes them.
const LEAF = Uint8Array.of(0x30, 0x82, 0x01, 0xfb, 0xff);
const LEAF_BASE64URL = 'MIIB-_8=';
const wireTls = { version: 'TLSv1.3', authorized: true, error: null, userException: false, chain: [LEAF_BASE64URL] };

function fakeExperiment(overrides: Partial<ProbeExperiment> = {}) {
  const calls: unknown[][] = [];
  const record = <T>(name: string, value: T) => async (...args: unknown[]) => {
    calls.push([name, ...args]);
    return value;
  };
  const experiment: ProbeExperiment = {
    connect: record('connect', { ok: true as const, id: 7, tls: wireTls }),
    readLine: record('readLine', { ok: true as const, line: '* OK ready' }),
    writeLine: record('writeLine', { ok: true as const }),
    startTls: record('startTls', { ok: true as const, tls: { ...wireTls, authorized: false, error: 'ERROR_TRUST', userException: true } }),
    close: record('close', undefined),
    knowsOAuth2: record('knowsOAuth2', false),
    ...overrides,
  };
  return { experiment, calls, browser: { srvAutoconfigProbe: experiment } as unknown as Browser };
}

const request = (signal = new AbortController().signal) =>
  ({ host: 'imap.example.test', port: 993, tls: true, signal, maxLineOctets: 2048 });

test('absent outside Thunderbird (no Experiment): the platform has no connect', () => {
  expect(lazyProbeGlue({} as Browser)).toEqual({});
});

describe('in Thunderbird', () => {
  test('connect passes host, port, tls and the line bound on; the chain arrives as DER bytes', async () => {
    const { browser, calls } = fakeExperiment();
    const result = await lazyProbeGlue(browser).connect?.(request());
    expect(calls[0]).toEqual(['connect', { host: 'imap.example.test', port: 993, tls: true, timeoutMs: 30000, maxLineOctets: 2048 }]);
    expect(result?.ok && result.tls).toEqual({ version: 'TLSv1.3', authorized: true, error: null, userException: false, chain: [LEAF] });
    expect(result?.ok && result.tls?.chain[0]).toBeInstanceOf(Uint8Array);
  });

  test('a plain connection has tls null; reads, writes, startTls and close go to the same id', async () => {
    const { browser, calls } = fakeExperiment({ connect: async () => ({ ok: true, id: 3 }) });
    const result = await lazyProbeGlue(browser).connect?.({ ...request(), tls: false });
    if (!result?.ok) throw new Error('connect failed');
    expect(result.tls).toBeNull();
    expect(await result.connection.readLine()).toEqual({ ok: true, line: '* OK ready' });
    await result.connection.writeLine('a1 STARTTLS');
    const upgraded = await result.connection.startTls();
    const excepted = { version: 'TLSv1.3', authorized: false, error: 'ERROR_TRUST', userException: true, chain: [LEAF] };
    expect(upgraded).toEqual({ ok: true, tls: excepted });
    result.connection.close();
    expect(calls).toEqual([['readLine', 3], ['writeLine', 3, 'a1 STARTTLS'], ['startTls', 3], ['close', 3]]);
  });

  test('the Experiment refusing the call (over its bound of open connections) is a connect failure, not a thrown error', async () => {
    const refused = async () => { throw new Error('srvAutoconfigProbe.connect: over 16 connections open'); };
    const { browser } = fakeExperiment({ connect: refused });
    expect(await lazyProbeGlue(browser).connect?.(request())).toEqual({
      ok: false, reason: 'connect-refused', detail: 'srvAutoconfigProbe.connect: over 16 connections open',
    });
  });

  test('a failure is passed on as the Experiment reported it', async () => {
    const refused = { ok: false as const, reason: 'connect-refused' as const, detail: 'NS_ERROR_CONNECTION_REFUSED' };
    const { browser } = fakeExperiment({ connect: async () => refused });
    expect(await lazyProbeGlue(browser).connect?.(request())).toEqual(refused);
  });

  test('the signal ends a pending read with connect-timeout and closes the connection', async () => {
    const never = new Promise<never>(() => {});
    const { browser, calls } = fakeExperiment({ readLine: () => never });
    const controller = new AbortController();
    const result = await lazyProbeGlue(browser).connect?.(request(controller.signal));
    if (!result?.ok) throw new Error('connect failed');
    const read = result.connection.readLine();
    controller.abort();
    expect(await read).toEqual({ ok: false, reason: 'connect-timeout', detail: 'the probe\'s time limit ran out' });
    expect(calls).toContainEqual(['close', 7]);
  });

  test('a connection that arrives after the signal fired is closed at once', async () => {
    let open: (v: { ok: true; id: number }) => void = () => {};
    let asked: () => void = () => {};
    const connecting = new Promise<void>((resolve) => (asked = resolve));
    const { browser, calls } = fakeExperiment({
      connect: () => new Promise((resolve) => {
        open = resolve;
        asked();
      }),
    });
    const controller = new AbortController();
    const pending = lazyProbeGlue(browser).connect?.(request(controller.signal));
    // The Experiment has been asked (the glue is loaded by then); the signal fires before it answers.
    await connecting;
    controller.abort();
    expect(await pending).toEqual({ ok: false, reason: 'connect-timeout', detail: 'the probe\'s time limit ran out' });
    open({ ok: true, id: 9 });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toContainEqual(['close', 9]);
  });

  test('an already aborted signal never reaches the Experiment', async () => {
    const { browser, calls } = fakeExperiment();
    expect(await lazyProbeGlue(browser).connect?.(request(AbortSignal.abort()))).toMatchObject({ ok: false, reason: 'connect-timeout' });
    expect(calls).toEqual([]);
  });
});
