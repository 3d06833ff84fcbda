// A DoH endpoint faked at the fetch boundary: questions in, dns-packet-built answers out.
// It records when each request starts and ends, so tests can prove queries overlap.
import { Buffer } from 'node:buffer';
import * as packet from 'dns-packet';
import type { Fetch, HttpResponse, Platform } from '../../src/core/index.ts';
import { seededRandom } from './seeded-random.ts';
import { urlHostname } from '../../src/parse-url.ts';

export interface FakeRecord {
  readonly name: string;
  readonly type: 'SRV' | 'CNAME' | 'TXT' | 'MX' | 'TLSA' | 'A';
  readonly ttl?: number;
  readonly data: unknown;
}

/** How the fake answers one question; `raw` lets a test send any bytes at all. */
export interface FakeAnswer {
  readonly rcode?: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  readonly ad?: boolean;
  readonly answers?: readonly FakeRecord[];
  readonly raw?: Uint8Array;
  readonly status?: number;
  readonly contentType?: string;
  readonly delayMs?: number;
}

export interface FakeCall {
  readonly url: string;
  readonly method: string;
  readonly name: string;
  readonly type: string;
  readonly started: number;
  ended?: number;
}

export interface FakeResolver {
  readonly fetch: Fetch;
  readonly calls: FakeCall[];
}

/** `answer(name, type, url)` decides; NXDOMAIN when it returns undefined. */
export function fakeResolver(answer: (name: string, type: string, url: string) => FakeAnswer | undefined): FakeResolver {
  const calls: FakeCall[] = [];
  let clock = 0;
  const fetch: Fetch = async (url, request) => {
    const query = request.method === 'GET'
      ? Buffer.from(new URL(url).searchParams.get('dns') ?? '', 'base64url')
      : Buffer.from(request.body ?? new Uint8Array());
    const decoded = packet.decode(query);
    const question = decoded.questions?.[0];
    const name = question?.name ?? '';
    const type = question?.type ?? '';
    const call: FakeCall = { url, method: request.method, name, type, started: clock++ };
    calls.push(call);
    const reply = answer(name, type, url) ?? { rcode: 'NXDOMAIN' };
    if (reply.delayMs !== undefined) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, reply.delayMs);
        request.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      });
    }
    await Promise.resolve();
    call.ended = clock++;
    const body = reply.raw ?? responseFor(decoded, reply);
    return httpResponse(body, reply.status ?? 200, reply.contentType ?? 'application/dns-message');
  };
  return { fetch, calls };
}

export function responseFor(query: packet.Packet, reply: FakeAnswer): Uint8Array {
  const flags = packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (reply.ad ? packet.AUTHENTIC_DATA : 0);
  const rcodes = { NOERROR: 0, NXDOMAIN: 3, SERVFAIL: 2, REFUSED: 5 } as const;
  const bytes = packet.encode({
    type: 'response',
    id: 0,
    flags,
    questions: query.questions ?? [],
    answers: (reply.answers ?? []).map((r) => ({ ...r, class: 'IN', ttl: r.ttl ?? 300 }) as packet.Answer),
  });
  // dns-packet's encoder has no RCODE field: it lives in the low four bits of the flags word.
  bytes.writeUInt16BE((bytes.readUInt16BE(2) & 0xfff0) | rcodes[reply.rcode ?? 'NOERROR'], 2);
  return new Uint8Array(bytes);
}

export function httpResponse(body: Uint8Array, status = 200, contentType = 'application/dns-message'): HttpResponse {
  return {
    status,
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? contentType : null) },
    arrayBuffer: async () => body.slice().buffer as ArrayBuffer,
  };
}

/** A Platform around a fake fetch: fixed clock, seeded random, real timers for time-outs. */
export function testPlatform(fetch: Fetch, overrides: Partial<Platform> = {}): Platform {
  let now = 1_700_000_000_000;
  return {
    fetch,
    fetchPolicy: async (url) => { throw new Error(`no policy server in this test: ${url}`); },
    now: () => now++,
    random: seededRandom(42),
    timeout: (ms) => AbortSignal.timeout(ms),
    toAscii: urlHostname,
    ...overrides,
  };
}

/** SRV record shorthand: `srv('_imaps._tcp.example.test', 0, 1, 993, 'imap.example.test')`. */
export function srv(name: string, priority: number, weight: number, port: number, target: string, ttl = 300): FakeRecord {
  return { name, type: 'SRV', ttl, data: { priority, weight, port, target } };
}

/** A resolver holding one zone's records: answers what matches, NXDOMAIN otherwise. */
export function zoneResolver(records: readonly FakeRecord[], { ad = true } = {}): FakeResolver {
  return fakeResolver((name, type) => {
    const owned = records.filter((r) => r.name === name);
    if (owned.length === 0) return { rcode: 'NXDOMAIN', ad };
    return { ad, answers: owned.filter((r) => r.type === type || r.type === 'CNAME') };
  });
}
