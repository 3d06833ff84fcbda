import { describe, expect, test } from 'vitest';
import { autoconfigure as discover } from '../../../src/core/autoconfigure.ts';
import { MAX_CACHE_ENTRIES } from '../../../src/core/cache-keys.ts';
import { MAX_SRV_RECORDS_PER_LABEL } from '../../../src/core/discovery/read-srv-answer.ts';
import { discoverWithCache } from '../../../src/core/settings-cache.ts';
import { fakeResolver, srv, testPlatform, zoneResolver } from '../../support/fake-resolver.ts';
import { memoryStorage } from '../../support/memory-storage.ts';
import { address, discoverIn, OPTIONS } from '../../support/discovery.ts';

const D = 'example.test';
const zone = [
  srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`),
  srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`),
];

describe('discover', () => {
  test('all six SRV queries are in flight at once: every one starts before any ends', async () => {
    const result = await discoverIn(zone);
    const calls = result.resolver.calls;
    expect(calls).toHaveLength(6);
    const lastStart = Math.max(...calls.map((c) => c.started));
    const firstEnd = Math.min(...calls.map((c) => c.ended ?? Infinity));
    expect(lastStart).toBeLessThan(firstEnd);
    expect(result.timing.queries).toBe(6);
  });

  test('a found result carries settings, badge, DNSSEC and no error', async () => {
    const result = await discoverIn(zone);
    expect(result).toMatchObject({
      status: 'found',
      address: `alice@${D}`,
      domain: D,
      incoming: {
        protocol: 'imap',
        hostname: `imap.${D}`,
        port: 993,
        security: 'tls',
        inDomain: true,
        dnssec: true,
        service: '_imaps._tcp',
      },
      outgoing: { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls' },
      dnssec: true,
      badge: { level: 'tls' },
      error: null,
      transport: null,
    });
  });

  test('one failing label fails the whole discovery (a partial answer could downgrade to STARTTLS)', async () => {
    const resolver = fakeResolver((name) => (name.startsWith('_imaps.')
      ? { rcode: 'SERVFAIL' }
      : name.startsWith('_imap.') ? { answers: [srv(name, 0, 1, 143, `imap.${D}`)] } : { rcode: 'NXDOMAIN' }));
    const result = await discover(address(`a@${D}`), OPTIONS, testPlatform(resolver.fetch));
    expect(result).toMatchObject({
      status: 'resolver-failure',
      incoming: null,
      outgoing: null,
      badge: { level: 'none', reasons: ['lookup-failed'] },
      error: { reason: 'servfail', name: `_imaps._tcp.${D}`, resolver: OPTIONS.resolvers[0] },
    });
  });

  test('an _imaps CNAME the server did not follow is followed: implicit TLS wins, never a silent STARTTLS downgrade', async () => {
    const provider = '_imaps._tcp.provider.test';
    // zoneResolver answers like an authoritative-only server: the CNAME alone, target not chased.
    const result = await discoverIn([
      { name: `_imaps._tcp.${D}`, type: 'CNAME', ttl: 600, data: provider },
      srv(provider, 0, 1, 993, 'imap.provider.test', 3600),
      srv(`_imap._tcp.${D}`, 0, 1, 143, `mail.${D}`),
      srv(`_submissions._tcp.${D}`, 0, 1, 465, `mail.${D}`),
    ], `alice@${D}`, { ad: false });
    expect(result).toMatchObject({
      status: 'found',
      incoming: { hostname: 'imap.provider.test', port: 993, security: 'tls', service: '_imaps._tcp', ttl: 600 },
    });
    expect(result.badge.level).not.toBe('starttls');
  });

  test('an _imaps CNAME whose target cannot be resolved fails the lookup instead of falling back to _imap', async () => {
    const resolver = fakeResolver((name) => {
      if (name === `_imaps._tcp.${D}`) return { answers: [{ name, type: 'CNAME', data: '_imaps._tcp.provider.test' }] };
      if (name === '_imaps._tcp.provider.test') return { rcode: 'SERVFAIL' };
      if (name === `_imap._tcp.${D}`) return { answers: [srv(name, 0, 1, 143, `mail.${D}`)] };
      return undefined;
    });
    const result = await discover(address(`alice@${D}`), OPTIONS, testPlatform(resolver.fetch));
    expect(result).toMatchObject({ status: 'resolver-failure', incoming: null, error: { reason: 'servfail', name: `_imaps._tcp.${D}` } });
  });

  test('records with a target that is no host name, or port 0, are reported and not used', async () => {
    const result = await discoverIn([
      srv(`_imaps._tcp.${D}`, 0, 1, 993, `bad_host.${D}`),
      srv(`_imaps._tcp.${D}`, 1, 1, 993, `imap.${D}`),
      srv(`_submissions._tcp.${D}`, 0, 1, 0, `smtp.${D}`),
      srv(`_submission._tcp.${D}`, 0, 1, 587, '127.0.0.1'),
    ]);
    expect(result.incoming?.hostname).toBe(`imap.${D}`);
    expect(result.outgoing).toBeNull();
    expect(result.rejected).toEqual([
      { label: '_submissions._tcp', target: `smtp.${D}`, port: 0, reason: 'port-zero' },
      { label: '_submission._tcp', target: '127.0.0.1', port: 587, reason: 'target-invalid' },
      { label: '_imaps._tcp', target: `bad_host.${D}`, port: 993, reason: 'target-invalid' },
    ]);
    expect(result.badge).toEqual({ level: 'none', reasons: ['outgoing-not-found'] });
  });

  test('DNSSEC is reported per domain only when every answer, negative ones included, carried AD', async () => {
    const resolver = fakeResolver((name) =>
      name.startsWith('_imaps.') ? { ad: true, answers: [zone[0]!] } : { rcode: 'NXDOMAIN', ad: false },
    );
    const result = await discover(address(`a@${D}`), OPTIONS, testPlatform(resolver.fetch));
    expect(result.incoming?.dnssec).toBe(true);
    expect(result.dnssec).toBe(false);
  });

  test('the domain with nothing published is "not-published", with both sides missing in the badge', async () => {
    const result = await discoverIn([]);
    expect(result).toMatchObject({
      status: 'not-published',
      incoming: null,
      outgoing: null,
      badge: { level: 'none', reasons: ['incoming-not-found', 'outgoing-not-found'] },
    });
  });

  test('with transport checks, TXT and MX leave with the SRV queries; TLSA only after the SRV answers', async () => {
    const result = await discoverIn(zone, 'alice@example.test', { options: { ...OPTIONS, transport: true } });
    const calls = result.resolver.calls;
    const srvCalls = calls.filter((c) => c.type === 'SRV');
    const firstSrvEnd = Math.min(...srvCalls.map((c) => c.ended ?? Infinity));
    const lastSrvEnd = Math.max(...srvCalls.map((c) => c.ended ?? 0));
    const early = calls.filter((c) => c.type === 'TXT' || c.type === 'MX');
    expect(early.map((c) => `${c.type} ${c.name}`).sort()).toEqual([
      'MX example.test',
      'TXT _mta-sts.example.test',
      'TXT _smtp._tls.example.test',
    ]);
    expect(Math.max(...early.map((c) => c.started))).toBeLessThan(firstSrvEnd);
    const tlsa = calls.filter((c) => c.type === 'TLSA');
    expect(tlsa.map((c) => c.name).sort()).toEqual(['_465._tcp.smtp.example.test', '_993._tcp.imap.example.test']);
    expect(Math.min(...tlsa.map((c) => c.started))).toBeGreaterThan(lastSrvEnd);
    expect(result.transport).toMatchObject({ mtaSts: { status: 'absent' }, tlsRpt: { status: 'absent' } });
    expect(result.badge.reasons).toEqual(expect.arrayContaining(['mta-sts-absent', 'tls-rpt-absent']));
    expect(result.timing.queries).toBe(calls.length);
  });

  test('a re-lookup (only one protocol) runs no transport checks', async () => {
    const result = await discoverIn(zone, 'alice@example.test', { options: { ...OPTIONS, transport: true, only: 'imap' } });
    expect(result.transport).toBeNull();
    expect(result.resolver.calls.every((c) => c.type === 'SRV')).toBe(true);
  });
});

describe('storage cannot be filled from DNS', () => {
  // About 50 KB of SRV records under one label: a hostile or broken zone, not a real one.
  const flood = Array.from({ length: 1000 }, (_, i) => srv(`_imaps._tcp.${D}`, 1000 - i, 1, 993, `h${i}.${D}`));

  test('at most MAX_SRV_RECORDS_PER_LABEL are read per label, lowest priority first; the rest is one reported entry', async () => {
    const result = await discoverIn([...flood, zone[1]!]);
    const incoming = [result.incoming, ...result.alternatives].filter((s) => s?.protocol === 'imap');
    expect(incoming).toHaveLength(MAX_SRV_RECORDS_PER_LABEL);
    // Priorities 1..16 are kept: h999 has priority 1.
    expect(result.incoming?.hostname).toBe(`h999.${D}`);
    expect(result.rejected).toEqual([
      { label: '_imaps._tcp', target: '', port: 0, reason: 'records-over-limit', count: 1000 - MAX_SRV_RECORDS_PER_LABEL },
    ]);
  });

  test('the cache keeps at most MAX_CACHE_ENTRIES domains, least recently used out, and a hit counts as a use', async () => {
    const storage = memoryStorage();
    const records = (domain: string) => [
      srv(`_imaps._tcp.${domain}`, 0, 1, 993, `imap.${domain}`),
      srv(`_submissions._tcp.${domain}`, 0, 1, 465, `smtp.${domain}`),
    ];
    const domains = Array.from({ length: MAX_CACHE_ENTRIES + 1 }, (_, i) => `d${i}.test`);
    const resolver = zoneResolver(domains.flatMap(records));
    const platform = testPlatform(resolver.fetch, { storage });
    await discoverWithCache(address('a@d0.test'), OPTIONS, platform);
    await discoverWithCache(address('a@d1.test'), OPTIONS, platform);
    await discoverWithCache(address('a@d0.test'), OPTIONS, platform); // a hit: d0 is now the most recent
    for (const domain of domains.slice(2)) await discoverWithCache(address(`a@${domain}`), OPTIONS, platform);
    const cached = [...storage.data.keys()].filter((k) => k.startsWith('discovery:'));
    expect(cached).toHaveLength(MAX_CACHE_ENTRIES);
    expect(cached).toContain('discovery:d0.test');
    expect(cached).not.toContain('discovery:d1.test');
    expect(storage.data.get('cache-index')).toHaveLength(MAX_CACHE_ENTRIES);
  });
});
