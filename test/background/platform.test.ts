// The browser Platform: what reaches the server for a DoH POST; the probe capabilities (connect only where
// the probe Experiment exists, digest through WebCrypto for DANE matching types 1 and 2, RFC 6698 §2.1.3).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { boundedFetch, browserPlatform } from '../../src/background/platform.ts';
import { thunderbirdGlue } from '../../src/background/thunderbird-glue.ts';
import type { Browser } from '../../src/browser-api.ts';

afterEach(() => vi.unstubAllGlobals());

const request = (body: Uint8Array) => ({
  method: 'POST' as const,
  headers: { accept: 'application/dns-message', 'content-type': 'application/dns-message', 'content-length': String(body.byteLength) },
  body,
  signal: AbortSignal.timeout(2000),
  redirect: 'error' as const,
  maxBytes: 65535,
});

describe('boundedFetch (the add-on\'s fetch)', () => {
  test('RFC 9110 §8.6: a POST body is handed to fetch as an ArrayBuffer of exactly the query, so fetch states its length', async () => {
    const seen: RequestInit[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      seen.push(init);
      return new Response(new Uint8Array(12), { headers: { 'content-type': 'application/dns-message' } });
    });
    // A view into a larger buffer, as a decoder's subarray would be: only its own bytes may be sent.
    const backing = new Uint8Array(64).fill(7);
    const query = backing.subarray(8, 40);
    await boundedFetch('https://resolver.example/dns-query', request(query));
    const body = seen[0]?.body;
    expect(body).toBeInstanceOf(ArrayBuffer);
    expect(new Uint8Array(body as ArrayBuffer)).toEqual(query);
  });

  test('a real server receives Content-Length and exactly the query (fetch of this Node, as in a browser)', async () => {
    let headers: IncomingHttpHeaders = {};
    let received = Buffer.alloc(0);
    const server = createServer((req, res) => {
      headers = req.headers;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = Buffer.concat(chunks);
        res.writeHead(200, { 'content-type': 'application/dns-message' }).end(Buffer.alloc(12));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const query = new Uint8Array(64).fill(1).subarray(16, 48);
      const response = await boundedFetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dns-query`, request(query));
      expect(response.status).toBe(200);
      expect(headers['content-length']).toBe('32');
      expect(headers['transfer-encoding']).toBeUndefined();
      expect(new Uint8Array(received)).toEqual(query);
    } finally {
      server.close();
    }
  });
});

const storage = { local: { get: async () => ({}), set: async () => {}, remove: async () => {} } };
const answer = async () => ({});
const probe = { connect: answer, readLine: answer, writeLine: answer, startTls: answer, close: answer };

test('connect is there with the probe Experiment (Thunderbird) and absent without it (Firefox, Chromium)', () => {
  const platformOf = (browser: Browser) => browserPlatform(browser, thunderbirdGlue(browser).connect);
  expect(platformOf({ storage, srvAutoconfigProbe: probe } as unknown as Browser).connect).toBeTypeOf('function');
  expect('connect' in platformOf({ storage } as unknown as Browser)).toBe(false);
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
