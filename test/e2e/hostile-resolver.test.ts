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

function platform(resolvers: string[], timeoutMs = 800) {
  const options = { resolvers, method: 'GET' as const, timeoutMs };
  const node = createNodePlatform(inject('caFile'), options);
  nodes.push(node);
  return { options, platform: node.platform };
}

describe('hostile DoH server', () => {
  test.each([
    { how: 'status-500', reason: 'http-status' },
    { how: 'status-404', reason: 'http-status' },
    { how: 'html', reason: 'content-type' },
    { how: 'empty', reason: 'malformed-response' },
    { how: 'huge', reason: 'response-too-large' },
    { how: 'drip', reason: 'timeout' },
    { how: 'redirect-http', reason: 'http-status' },
    { how: 'other-question', reason: 'question-mismatch' },
    { how: 'truncated', reason: 'truncated' },
  ] as { how: Misbehaviour; reason: string }[])('$how: a clear error ($reason) naming the resolver; the next resolver answers', async ({ how, reason }) => {
    const alone = platform([hostile.url(how)]);
    const started = Date.now();
    expect(await lookup(Q, alone.options, alone.platform)).toMatchObject({ status: 'error', reason, resolver: hostile.url(how), name: Q.name });
    expect(Date.now() - started).toBeLessThan(3000);

    const fallback = platform([hostile.url(how), real]);
    const result = await discover(address('alice@plain.test'), fallback.options, fallback.platform);
    expect(result).toMatchObject({ status: 'found', incoming: { hostname: 'mail.plain.test' }, dnssec: false });
  });

  test('a refused stream (GOAWAY) is sent once more on a new connection, as RFC 9113 §8.7 allows', async () => {
    const once = platform([hostile.url('refuse-once')]);
    expect(await lookup(Q, once.options, once.platform)).toMatchObject({ status: 'answer', ad: false, records: [{ data: { target: 'mail.plain.test' } }] });
    const always = platform([hostile.url('refuse-always')]);
    const started = Date.now();
    expect(await lookup(Q, always.options, always.platform)).toMatchObject({ status: 'error', reason: 'network', detail: expect.stringContaining('REFUSED_STREAM') });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('forged AD from a resolver whose certificate nobody vouched for is never believed', async () => {
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
    expect(await lookup(Q, alone.options, alone.platform)).toMatchObject({ status: 'error', reason: 'network', detail: expect.stringContaining('refusing http:') });
  });
});
