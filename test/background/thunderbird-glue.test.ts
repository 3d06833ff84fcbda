// src/background/thunderbird-glue.ts: what the background takes from Thunderbird — the account-created event checked
// with retries, the options switch followed by the set-up Experiment, its questions answered — and nothing in Firefox.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { thunderbirdGlue, type Background } from '../../src/background/thunderbird-glue.ts';
import type { Browser } from '../../src/browser-api.ts';
import type { Handler } from '../../src/background/handle-message.ts';
import { srv, testPlatform, zoneResolver } from '../support/fake-resolver.ts';

type Listener<A extends unknown[]> = (...args: A) => unknown;

/** A browser with Thunderbird's account event and the set-up Experiment, each listener kept for the test to call. */
function thunderbird() {
  const created: Listener<[string]>[] = [];
  const discover: Listener<[string]>[] = [];
  const active: boolean[] = [];
  const browser = {
    accounts: { getDefault: async () => null, onCreated: { addListener: (l: Listener<[string]>) => void created.push(l) } },
    srvAutoconfigSetup: {
      onDiscover: { addListener: (l: Listener<[string]>) => void discover.push(l) },
      setActive: async (on: boolean) => void active.push(on),
    },
  } as unknown as Browser;
  return { browser, created, discover, active };
}

function background(handle: Handler, stored: () => unknown) {
  const changed: (() => void)[] = [];
  const bg: Background = {
    handle,
    platform: testPlatform(async () => { throw new Error('no network in this test'); }),
    settings: async () => stored(),
    onSettingsChanged: (listener) => void changed.push(listener),
  };
  return { bg, changed };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the account-created event', () => {
  test('is checked as accountCreated, again every 200 ms while the identity is not attached, 15 times at most', async () => {
    const tb = thunderbird();
    const asked: unknown[] = [];
    const handle = (async (request: unknown) => {
      asked.push(request);
      return null; // the identity never shows up
    }) as unknown as Handler;
    thunderbirdGlue(tb.browser).listen(background(handle, () => ({})).bg);
    expect(tb.created).toHaveLength(1);
    tb.created[0]!('account7');
    await vi.advanceTimersByTimeAsync(199);
    expect(asked).toEqual([{ type: 'accountCreated', accountId: 'account7' }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(asked).toHaveLength(16);
  });

  test('stops asking once the report is there', async () => {
    const tb = thunderbird();
    let calls = 0;
    const handle = (async () => (++calls < 3 ? null : { level: 'tls' })) as unknown as Handler;
    thunderbirdGlue(tb.browser).listen(background(handle, () => ({})).bg);
    tb.created[0]!('account8');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(3);
  });
});

describe('Thunderbird\'s own account set-up', () => {
  test('follows the options switch at start and on every change of the settings', async () => {
    const tb = thunderbird();
    let stored: unknown = undefined; // nothing stored: on by default
    const { bg, changed } = background((async () => null) as unknown as Handler, () => stored);
    thunderbirdGlue(tb.browser).listen(bg);
    await vi.advanceTimersByTimeAsync(0);
    expect(tb.active).toEqual([true]);
    stored = { useInAccountSetup: false };
    changed.forEach((listener) => listener());
    await vi.advanceTimersByTimeAsync(0);
    expect(tb.active).toEqual([true, false]);
  });

  test('a question is answered by answer-setup.ts with the published servers; nothing while the switch is off', async () => {
    vi.useRealTimers();
    const tb = thunderbird();
    let stored: unknown = { useInAccountSetup: false, choice: 'custom', customUrl: 'https://resolver.example/dns-query' };
    const { bg } = background((async () => null) as unknown as Handler, () => stored);
    const zone = zoneResolver([
      srv('_imaps._tcp.example.test', 0, 1, 993, 'imap.example.test'),
      srv('_submissions._tcp.example.test', 0, 1, 465, 'smtp.example.test'),
    ]);
    thunderbirdGlue(tb.browser).listen({ ...bg, platform: testPlatform(zone.fetch) });
    expect(tb.discover).toHaveLength(1);
    expect(await tb.discover[0]!('alice@example.test')).toBeNull();
    expect(zone.calls).toEqual([]);
    stored = { choice: 'custom', customUrl: 'https://resolver.example/dns-query' };
    expect(await tb.discover[0]!('not an address')).toBeNull();
    const offer = await tb.discover[0]!('alice@example.test');
    expect(offer).toMatchObject({ incoming: { hostname: 'imap.example.test', port: 993 } });
  });
});

test('Firefox: no Experiments, no accounts — nothing is registered and every part is absent', async () => {
  const browser = {} as Browser;
  const glue = thunderbirdGlue(browser);
  expect(glue.accounts).toBeNull();
  expect(glue.connect).toBeUndefined();
  expect(glue.knowsOAuth2).toBeUndefined();
  expect(await glue.defaultAddress()).toBeNull();
  const { bg, changed } = background((async () => { throw new Error('never asked'); }) as unknown as Handler, () => ({}));
  glue.listen(bg);
  expect(changed).toEqual([]);
});
