// The browser Platform's probe capabilities: connect only where the probe Experiment exists (Thunderbird),
// digest (DANE matching types 1 and 2, RFC 6698 §2.1.3) through WebCrypto.
import { expect, test } from 'vitest';
import { browserPlatform } from '../../src/background/platform.ts';
import type { Browser } from '../../src/browser-api.ts';

const storage = { local: { get: async () => ({}), set: async () => {}, remove: async () => {} } };
const answer = async () => ({});
const probe = { connect: answer, readLine: answer, writeLine: answer, startTls: answer, close: answer };

test('connect is there with the probe Experiment (Thunderbird) and absent without it (Firefox, Chromium)', () => {
  expect(browserPlatform({ storage, srvAutoconfigProbe: probe } as unknown as Browser).connect).toBeTypeOf('function');
  expect('connect' in browserPlatform({ storage } as unknown as Browser)).toBe(false);
});

test.each([
  { algorithm: 'SHA-256' as const, hex: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
  {
    algorithm: 'SHA-512' as const,
    hex: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  },
])('RFC 6698 §2.1.3: digest $algorithm of "abc" (FIPS 180-2 test vector)', async ({ algorithm, hex }) => {
  const digest = await browserPlatform({ storage } as unknown as Browser).digest?.(algorithm, new TextEncoder().encode('abc'));
  expect(Buffer.from(digest ?? []).toString('hex')).toBe(hex);
});
