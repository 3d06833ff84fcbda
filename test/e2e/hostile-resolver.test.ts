// A misbehaving DoH server on loopback: every fault is a clear error or a fall-over to the next
// resolver, and the result never claims more security than was proven.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createNodePlatform } from '../../src/cli/platform.ts';
import { lookup } from '../../src/core/dns/doh-client.ts';
import { autoconfigure as discover } from '../../src/core/autoconfigure.ts';
import { address } from '../support/discovery.ts';
import { startHostileDoh, type HostileDoh, type Misbehaviour } from '../support/hostile-doh.ts';

const real = inject('dohUrl');
const Q = { name: '_imaps._tcp.plain.test', type: 'SRV' as const };
let hostile: HostileDoh;
let untrusted: HostileDoh;
const nodes: { close(): void }[] = [];
beforeAll(async () => {
  hostile = await startHostileDoh(inject('stateDir'), { trusted: true });
  untrusted = await startHostileDoh(inject('stateDir'), { trusted: false });
});
afterAll(async () => {
  for (const n of nodes) n.close();
  await hostile.close();
  await untrusted.close();
});

function platform(resolvers: string[], timeoutMs = 800, method: 'GET' | 'POST' = 'GET') {
  const options = { resolvers, method, timeoutMs };
  const node = createNodePlatform(inject('caFile'), options);
  nodes.push(node);
  return { options, platform: node.platform };
}

describe('hostile DoH server', () => {
  test.each([
    { how: 'status-500', reason: 'http-status', says: 'HTTP 500 for _imaps._tcp.plain.test' },
    { how: 'status-404', reason: 'http-status', says: 'HTTP 404 for _imaps._tcp.plain.test' },
    { how: 'html', reason: 'content-type', says: 'content type "text/html" for _imaps._tcp.plain.test' },
    { how: 'empty', reason: 'malformed-response', says: '_imaps._tcp.plain.test: message of 0 octets is shorter than a header' },
    { how: 'huge', reason: 'response-too-large', says: 'answer for _imaps._tcp.plain.test exceeds 65535 octets' },
    { how: 'drip', reason: 'timeout', says: 'no answer for _imaps._tcp.plain.test within 800 ms' },
    { how: 'redirect-http', reason: 'http-status', says: 'HTTP 301 for _imaps._tcp.plain.test' },
    { how: 'other-question', reason: 'question-mismatch', says: '_imaps._tcp.plain.test: answer is for _imaps._tcp.evil.test type 33' },
    { how: 'truncated', reason: 'truncated', says: '_imaps._tcp.plain.test: TC bit set' },
  ] as { how: Misbehaviour; reason: string; says: string }[])(
    '$how: a clear error ($reason) naming the resolver; the next resolver answers',
    async ({ how, reason, says }) => {
      const alone = platform([hostile.url(how)]);
      const started = Date.now();
      // The detail names the resolver, the label and what was wrong, in one line.
      expect(await lookup(Q, alone.options, alone.platform)).toEqual({
        status: 'error',
        reason,
        resolver: hostile.url(how),
        name: Q.name,
        detail: `${hostile.url(how)}: ${says}`,
      });
      expect(Date.now() - started).toBeLessThan(3000);

      const fallback = platform([hostile.url(how), real]);
      const result = await discover(address('alice@plain.test'), fallback.options, fallback.platform);
      expect(result).toMatchObject({ status: 'found', incoming: { hostname: 'mail.plain.test' }, dnssec: false });
    },
  );

  test('a refused stream (GOAWAY) is sent once more on a new connection, as RFC 9113 §8.7 allows', async () => {
    const once = platform([hostile.url('refuse-once')]);
    expect(await lookup(Q, once.options, once.platform)).toMatchObject({
      status: 'answer',
      ad: false,
      records: [{ data: { target: 'mail.plain.test' } }],
    });
    const always = platform([hostile.url('refuse-always')]);
    const started = Date.now();
    expect(await lookup(Q, always.options, always.platform)).toMatchObject({
      status: 'error',
      reason: 'network',
      detail: expect.stringContaining('REFUSED_STREAM'),
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('RFC 9113 §8.7: a stream refused without GOAWAY is sent once more on a new connection, not the same one', async () => {
    const before = hostile.connections();
    const node = platform([hostile.url('refuse-stream')]);
    const result = await lookup(Q, node.options, node.platform);
    expect(result).toMatchObject({ status: 'answer', records: [{ data: { target: 'mail.plain.test' } }] });
    expect(hostile.connections() - before).toBe(2);
  });

  test.each(['GET', 'POST'] as const)('%s: six parallel queries to a server refusing a stream opened during another', async (method) => {
    const before = hostile.connections();
    const node = platform([hostile.url('one-incomplete-stream')], 800, method);
    const result = await discover(address('alice@plain.test'), node.options, node.platform);
    expect(result).toMatchObject({ status: 'found', incoming: { hostname: 'mail.plain.test' }, error: null, timing: { queries: 6 } });
    // Still parallel: one connection carried all six, none had to be retried.
    expect(hostile.connections() - before).toBe(1);
  });

  // AD is believed only over an authenticated channel to the configured resolver (docs/trust.md).
  test('a resolver whose certificate nobody vouched for is refused, so its forged AD never counts', async () => {
    const alone = platform([untrusted.url('forged-ad')]);
    expect(await lookup(Q, alone.options, alone.platform)).toMatchObject({ status: 'error', reason: 'network' });

    const fallback = platform([untrusted.url('forged-ad'), real]);
    const result = await discover(address('alice@plain.test'), fallback.options, fallback.platform);
    // The real resolver's answer for the unsigned zone: found, in-domain, and not DNSSEC-validated.
    expect(result).toMatchObject({ status: 'found', dnssec: false, incoming: { hostname: 'mail.plain.test', dnssec: false } });
    expect(JSON.stringify(result)).not.toContain('evil.test');
  });

  test('a plain-http resolver is refused before any query', async () => {
    const alone = platform(['http://127.0.0.1:1/dns-query']);
    expect(await lookup(Q, alone.options, alone.platform)).toMatchObject({
      status: 'error',
      reason: 'network',
      detail: expect.stringContaining('refusing http:'),
    });
  });
});
