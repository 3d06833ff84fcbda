// The browser platform's fetch: what reaches the server for a DoH POST.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { boundedFetch } from '../../src/background/platform.ts';

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
