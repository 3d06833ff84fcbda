// Fuzzing the response path the DoH client uses (decodeResponse, then lookup's CNAME and rcode
// handling): ≥ 100 000 generated and mutated messages, fixed seed in CI, `npm run fuzz` for more;
// decodeResponse in the Node build and in the add-on's browser build alike.
import { describe, expect, test } from 'vitest';
import { lookup } from '../../src/core/dns/doh-client.ts';
import { decodeResponse, type DecodeResult, type ResourceRecord } from '../../src/core/dns/wire.ts';
import { browserWire, viewAt } from '../support/browser-wire.ts';
import { httpResponse, testPlatform } from '../support/fake-resolver.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { mutatedCase, validCase, type FuzzCase } from './generate.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const REASONS = new Set(['malformed-response', 'question-mismatch', 'truncated']);
const SLOWEST_ALLOWED_MS = 200; // far below any DoH time-out (5000 ms by default), above a GC pause on a busy CI machine
// Long runs (npm run fuzz) take about 40 µs a case on this machine; leave them room.
const TIME_LIMIT_MS = Math.max(60_000, RUNS * 0.25);

/** The record's own octets (fixed RDATA fields, strings, digests, every name label) occur in the message. */
function evidenced(record: ResourceRecord, message: Uint8Array): boolean {
  const fold = (b: number): number => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
  // `caselessFrom`: octets from this index of the needle on are compared case-insensitively (name labels).
  const has = (needle: readonly number[], caselessFrom = needle.length): boolean => {
    if (needle.length === 0) return true;
    outer: for (let i = 0; i + needle.length <= message.length; i++) {
      for (let j = 0; j < needle.length; j++) {
        const m = message[i + j] ?? -1;
        if ((j >= caselessFrom ? fold(m) : m) !== needle[j]) continue outer;
      }
      return true;
    }
    return false;
  };
  // A label as presented: lowercase, with \DDD for odd octets; on the wire it is length + octets.
  const label = (text: string): number[] => {
    const octets: number[] = [];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\\') {
        octets.push(Number(text.slice(i + 1, i + 4)));
        i += 3;
      } else {
        octets.push(text.charCodeAt(i));
      }
    }
    return [octets.length, ...octets];
  };
  const labels = (name: string): boolean => name === '.' || name.split('.').every((l) => has(label(l), 0));
  // `fixed` followed by the name's first label, a compression pointer, or (for '.') the root octet.
  const hasBefore = (fixed: number[], name: string): boolean => {
    const first = name === '.' ? [0] : label(name.split('.')[0] ?? '');
    for (let i = 0; i + fixed.length < message.length; i++) {
      if (!fixed.every((b, j) => message[i + j] === b)) continue;
      const after = i + fixed.length;
      if (name !== '.' && (message[after] ?? 0) >= 0xc0) return true;
      if (first.every((b, j) => fold(message[after + j] ?? -1) === b)) return true;
    }
    return false;
  };
  const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
  const d = record.data;
  if (!labels(record.name)) return false;
  switch (d.type) {
    // The fixed fields sit right before the target's first label (or a compression pointer).
    case 'SRV': return hasBefore([...u16(d.priority), ...u16(d.weight), ...u16(d.port)], d.target) && labels(d.target);
    case 'MX': return hasBefore(u16(d.preference), d.exchange) && labels(d.exchange);
    case 'CNAME': return labels(d.target);
    case 'TXT': return d.strings.every((s) => has([s.length, ...s]));
    case 'TLSA': return has([d.usage, d.selector, d.matchingType, ...d.data]);
    case 'A': return has(d.address.split('.').map(Number));
    default: return true;
  }
}

type Decode = typeof decodeResponse;
// The Node build (dns-packet over Node's Buffer) and the add-on's browser build (over byte-buffer.ts).
const BUILDS: readonly (readonly [string, Decode])[] = [['node', decodeResponse], ['browser', (await browserWire()).decodeResponse]];

/** A decode result as text, octet strings in hex, to compare builds and views cheaply. */
const fingerprint = (result: DecodeResult): string =>
  JSON.stringify(result, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value));

/**
 * The Node build decodes the message as given; the browser build decodes it as given and as a view at
 * an offset of a larger buffer (as a pooled Buffer or a subarray hands it over). The first result must
 * hold the properties below and the others must equal it. Returns the problem, or the result.
 */
function check(c: FuzzCase): string | DecodeResult {
  const [[, node], [, browser]] = BUILDS as [readonly [string, Decode], readonly [string, Decode]];
  const result = decodeWith(node, c, c.bytes);
  if (typeof result === 'string') return `node build: ${result}`;
  const expected = fingerprint(result);
  for (const [where, bytes] of [['as given', c.bytes], ['as a view at an offset', viewAt(c.bytes, 1 + (c.bytes.length % 13))]] as const) {
    let text;
    try {
      text = fingerprint(browser(bytes, c.question));
    } catch (error) {
      return `browser build, ${where}: threw ${String(error)}`;
    }
    if (text !== expected) return `browser build, ${where}, disagrees: ${expected.slice(0, 200)} vs ${text.slice(0, 200)}`;
  }
  return result;
}

function decodeWith(decode: Decode, c: FuzzCase, bytes: Uint8Array): DecodeResult | string {
  const started = performance.now();
  let result;
  try {
    result = decode(bytes, c.question);
  } catch (error) {
    return `threw ${String(error)}`;
  }
  const took = performance.now() - started;
  if (took > SLOWEST_ALLOWED_MS) return `took ${took.toFixed(1)} ms`;
  if (!result.ok) return REASONS.has(result.reason) && result.detail.length > 0 ? result : `bad rejection ${JSON.stringify(result)}`;
  for (const record of result.response.answers) {
    if (!evidenced(record, c.bytes)) return `a record not in the message: ${JSON.stringify(record)}`;
    if (record.ttl < 0 || record.ttl > 604800 || !Number.isInteger(record.ttl)) return `TTL ${record.ttl}`;
    if (/[\x00-\x20\x7f-\uffff]/.test(record.name)) return `raw octets in a name: ${JSON.stringify(record.name)}`;
  }
  if (c.expected !== undefined) {
    try {
      expect(result.response.answers).toEqual(c.expected);
    } catch {
      return `valid message decoded differently: ${JSON.stringify(result.response.answers).slice(0, 300)}`;
    }
  }
  return result;
}

describe(`fuzz: ${RUNS} DNS responses, seed ${SEED}, Node and browser builds`, () => {
  test('valid messages decode to exactly the records they hold', () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    for (let i = 0; i < RUNS / 10; i++) {
      const c = validCase(random);
      const problem = check(c);
      if (typeof problem === 'string') failures.push(`#${i} ${problem}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  }, TIME_LIMIT_MS);

  test('mutated messages never throw, never invent a record, and are refused with a reason', () => {
    const random = seededRandom(SEED + 1);
    const failures: string[] = [];
    const seen = new Map<string, { accepted: number; refused: number }>();
    for (let i = 0; i < RUNS; i++) {
      const c = mutatedCase(random);
      const result = check(c);
      if (typeof result === 'string') failures.push(`#${i} ${c.kind}: ${result} [${Buffer.from(c.bytes).toString('hex').slice(0, 200)}]`);
      const tally = seen.get(c.kind) ?? { accepted: 0, refused: 0 };
      if (typeof result !== 'string') result.ok ? tally.accepted++ : tally.refused++;
      seen.set(c.kind, tally);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // Every mutation that always breaks the message was refused every time.
    for (const kind of [
      'qdcount-2',
      'tc-set',
      'qr-clear',
      'id-nonzero',
      'junk-after',
      'pointer-loop',
      'label-over-63',
      'name-over-255',
      'empty',
      'wrong-question',
    ]) {
      expect(seen.get(kind)?.accepted, kind).toBe(0);
      expect(seen.get(kind)?.refused, kind).toBeGreaterThan(0);
    }
  }, TIME_LIMIT_MS);

  test('through lookup() (rcode, CNAME chain, failover): always a typed result, never a throw', async () => {
    const random = seededRandom(SEED + 2);
    const statuses = new Map<string, number>();
    for (let i = 0; i < Math.min(RUNS / 20, 10_000); i++) {
      const c = random() < 0.3 ? validCase(random) : mutatedCase(random);
      const platform = testPlatform(async () => httpResponse(c.bytes));
      const result = await lookup(
        c.question,
        { resolvers: ['https://a.example/dns-query', 'https://b.example/dns-query'], method: 'POST', timeoutMs: 1000 },
        platform,
      );
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      if (result.status === 'error') expect(result.detail).toMatch(/a\.example.*b\.example/);
      if (result.status === 'answer') expect(result.records.every((r) => r.data.type === c.question.type)).toBe(true);
    }
    expect([...statuses.keys()].sort()).toEqual(['answer', 'error', 'nodata', 'nxdomain']);
  }, TIME_LIMIT_MS);
});
