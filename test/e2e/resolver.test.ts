// The core against the real test resolver (unbound DoH on loopback, DNSSEC-signed fixture zones).
import http2 from 'node:http2';
import { afterAll, describe, expect, inject, test, vi } from 'vitest';
import { createNodePlatform } from '../../src/cli/platform.ts';
import { lookup, type DohOptions } from '../../src/core/dns/doh-client.ts';
import { autoconfigure as discover } from '../../src/core/autoconfigure.ts';
import type { Fetch } from '../../src/core/platform.ts';
import { address } from '../support/discovery.ts';

const dohUrl = inject('dohUrl');
const node = createNodePlatform(inject('caFile'), { resolvers: [dohUrl], method: 'GET', timeoutMs: 5000 });
afterAll(() => node.close());
const options = (method: 'GET' | 'POST' = 'GET'): DohOptions => ({ resolvers: [dohUrl], method, timeoutMs: 5000 });

describe.each(['GET', 'POST'] as const)('real resolver over %s', (method) => {
  test('a signed zone answers with AD set (RFC 4035 §3.2.3)', async () => {
    const result = await lookup({ name: '_imaps._tcp.example.test', type: 'SRV' }, options(method), node.platform);
    expect(result).toMatchObject({ status: 'answer', ad: true });
    expect(result.status === 'answer' && result.records.map((r) => r.data)).toEqual([
      { type: 'SRV', priority: 0, weight: 1, port: 993, target: 'imap.example.test' },
    ]);
  });

  test('an unsigned zone answers without AD', async () => {
    const result = await lookup({ name: '_imaps._tcp.plain.test', type: 'SRV' }, options(method), node.platform);
    expect(result).toMatchObject({ status: 'answer', ad: false });
  });

  test('NXDOMAIN (no such name), validated', async () => {
    expect(await lookup({ name: '_pop3._tcp.none.test', type: 'SRV' }, options(method), node.platform))
      .toEqual({ status: 'nxdomain', ad: true, resolver: dohUrl });
  });

  test('NODATA (the name exists with another type), validated', async () => {
    expect(await lookup({ name: '_imaps._tcp.none.test', type: 'SRV' }, options(method), node.platform))
      .toEqual({ status: 'nodata', ad: true, resolver: dohUrl });
  });

  test('SERVFAIL when validation fails (bogus zone) is an error naming resolver and label', async () => {
    expect(await lookup({ name: '_imaps._tcp.bogus.test', type: 'SRV' }, options(method), node.platform))
      .toMatchObject({ status: 'error', reason: 'servfail', resolver: dohUrl, name: '_imaps._tcp.bogus.test' });
  });

  test('a CNAME chain in the answer is followed, and the answer stays validated', async () => {
    const result = await lookup({ name: '_imaps._tcp.cname.test', type: 'SRV' }, options(method), node.platform);
    expect(result).toMatchObject({
      status: 'answer',
      ad: true,
      records: [{ name: 'imaps-real.cname.test', data: { target: 'imap.cname.test' } }],
    });
  });
});

// A signed zone holding `_mta-sts` TXT at the apex beside `_imaps._tcp` and `_submissions._tcp` SRV:
// the NSEC chain runs _mta-sts → _imaps._tcp → _submissions._tcp, and `_tcp` is an empty non-terminal.
describe('RFC 4035 §3.1.3.2: denial of existence beside underscore labels and an empty non-terminal', () => {
  test.each(['_imap._tcp', '_pop3._tcp', '_pop3s._tcp', '_submission._tcp', '_pop3s._udp', 'nothing'])(
    '%s.denial.test is NXDOMAIN with AD, not SERVFAIL',
    async (label) => {
      expect(await lookup({ name: `${label}.denial.test`, type: 'SRV' }, options(), node.platform))
        .toEqual({ status: 'nxdomain', ad: true, resolver: dohUrl });
    },
  );

  test('_tcp.denial.test (the empty non-terminal) is NODATA with AD', async () => {
    expect(await lookup({ name: '_tcp.denial.test', type: 'SRV' }, options(), node.platform))
      .toEqual({ status: 'nodata', ad: true, resolver: dohUrl });
  });

  // Canonical order (RFC 4034 §6.1) with '<', ' ' and '_' in labels: signer and validator agree.
  test('xss.test, whose labels hold markup, validates: its answers and its NXDOMAIN carry AD', async () => {
    expect(await lookup({ name: '_imaps._tcp.xss.test', type: 'SRV' }, options(), node.platform))
      .toMatchObject({ status: 'answer', ad: true });
    expect(await lookup({ name: '_pop3._tcp.xss.test', type: 'SRV' }, options(), node.platform))
      .toEqual({ status: 'nxdomain', ad: true, resolver: dohUrl });
  });

  test('_mta-sts.denial.test TXT is answered with AD', async () => {
    expect(await lookup({ name: '_mta-sts.denial.test', type: 'TXT' }, options(), node.platform))
      .toMatchObject({ status: 'answer', ad: true });
  });
});

describe('discovery against the real resolver', () => {
  test('the six SRV queries overlap in time on one HTTP/2 connection', async () => {
    // A platform of its own, so the connection counted is opened by this discovery (RFC 8484 §5.2).
    const fresh = createNodePlatform(inject('caFile'), options());
    const connect = vi.spyOn(http2, 'connect');
    const spans: { start: number; end: number }[] = [];
    const fetch: Fetch = async (url, request) => {
      const span = { start: performance.now(), end: Infinity };
      spans.push(span);
      const response = await fresh.platform.fetch(url, request);
      const body = await response.arrayBuffer();
      span.end = performance.now();
      return { status: response.status, headers: response.headers, arrayBuffer: async () => body };
    };
    try {
      const result = await discover(address('alice@example.test'), options(), { ...fresh.platform, fetch });
      expect(result.status).toBe('found');
      expect(spans).toHaveLength(6);
      expect(Math.max(...spans.map((s) => s.start))).toBeLessThan(Math.min(...spans.map((s) => s.end)));
      expect(connect.mock.calls.map(([origin]) => String(origin))).toEqual([new URL(dohUrl).origin]);
    } finally {
      connect.mockRestore();
      fresh.close();
    }
  });

  test.each([
    {
      who: 'alice@example.test',
      incoming: ['imap', 'imap.example.test', 993, 'tls'],
      outgoing: ['smtp.example.test', 465, 'tls'],
      level: 'tls',
      dnssec: true,
    },
    {
      who: 'bob@starttls.test',
      incoming: ['imap', 'mail.starttls.test', 143, 'starttls'],
      outgoing: ['mail.starttls.test', 587, 'starttls'],
      level: 'starttls',
      dnssec: true,
    },
    {
      who: 'c@pop.test',
      incoming: ['pop3', 'mail.pop.test', 995, 'tls'],
      outgoing: ['mail.pop.test', 465, 'tls'],
      level: 'tls',
      dnssec: true,
    },
    {
      who: 'd@tie.test',
      incoming: ['imap', 'imap.tie.test', 993, 'tls'],
      outgoing: ['smtp.tie.test', 465, 'tls'],
      level: 'tls',
      dnssec: true,
    },
    {
      who: 'e@hosted.test',
      incoming: ['imap', 'imap.provider.test', 993, 'tls'],
      outgoing: ['smtp.provider.test', 465, 'tls'],
      level: 'tls',
      dnssec: true,
    },
    {
      who: 'f@outside.test',
      incoming: ['imap', 'imap.provider.test', 993, 'tls'],
      outgoing: ['smtp.provider.test', 465, 'tls'],
      level: 'unverified',
      dnssec: false,
    },
    {
      who: 'g@plain.test',
      incoming: ['imap', 'mail.plain.test', 993, 'tls'],
      outgoing: ['mail.plain.test', 465, 'tls'],
      level: 'tls',
      dnssec: false,
    },
    {
      who: 'j@cname.test',
      incoming: ['imap', 'imap.cname.test', 993, 'tls'],
      outgoing: ['smtp.cname.test', 465, 'tls'],
      level: 'tls',
      dnssec: true,
    },
    {
      who: 'l@denial.test',
      incoming: ['imap', 'imap.denial.test', 993, 'tls'],
      outgoing: ['smtp.denial.test', 465, 'tls'],
      level: 'tls',
      dnssec: true,
    },
    {
      who: 'k@mixed.test',
      incoming: ['imap', 'imap.mixed.test', 993, 'tls'],
      outgoing: ['smtp.mixed.test', 587, 'starttls'],
      level: 'starttls',
      dnssec: true,
    },
  ])('$who → $level', async ({ who, incoming, outgoing, level, dnssec }) => {
    const result = await discover(address(who), options(), node.platform);
    expect([result.incoming?.protocol, result.incoming?.hostname, result.incoming?.port, result.incoming?.security]).toEqual(incoming);
    expect([result.outgoing?.hostname, result.outgoing?.port, result.outgoing?.security]).toEqual(outgoing);
    expect(result.badge.level).toBe(level);
    expect(result.dnssec).toBe(dnssec);
  });
});
