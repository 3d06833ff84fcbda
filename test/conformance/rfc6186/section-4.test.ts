// RFC 6186 §4: user names to try, caching with the DNS TTL as a bound, and same-protocol re-lookup.
import { describe, expect, test } from 'vitest';
import { CACHE_VERSION, discoverWithCache, relookup } from '../../../src/core/settings-cache.ts';
import { srv, testPlatform, zoneResolver, type FakeRecord } from '../../support/fake-resolver.ts';
import { address, discoverIn, OPTIONS } from '../../support/discovery.ts';
import { memoryStorage } from '../../support/memory-storage.ts';

const D = 'example.test';
const zone: FakeRecord[] = [
  srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`, 600),
  srv(`_pop3s._tcp.${D}`, 10, 1, 995, `pop.${D}`, 600),
  srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`, 300),
];

/** A clock the test moves by hand. */
function manualClock(start = 1_800_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

/** A cache entry of the current version, fresh, from the resolver OPTIONS names. */
const stored = (discovery: unknown) =>
  ({ version: CACHE_VERSION, expiresAt: Number.MAX_SAFE_INTEGER, resolvers: OPTIONS.resolvers.join(' '), discovery });

describe('RFC 6186 §4', () => {
  test('RFC 6186 §4: usernames are the full address first, then the local-part', async () => {
    const result = await discoverIn(zone, 'Alice.Smith@EXAMPLE.test');
    expect(result.incoming?.usernames).toEqual(['Alice.Smith@example.test', 'Alice.Smith']);
    expect(result.outgoing?.usernames).toEqual(['Alice.Smith@example.test', 'Alice.Smith']);
  });

  test('RFC 6186 §4: a quoted local-part is tried unquoted as the second name', async () => {
    const result = await discoverIn(zone, '"john doe"@example.test');
    expect(result.incoming?.usernames).toEqual(['"john doe"@example.test', 'john doe']);
  });

  // RFC 6531 §3.3 / RFC 6532 §3.2: an address with a Unicode local-part exists only in its UTF-8 form,
  // with the domain in U-labels; an ASCII local-part keeps the all-ASCII form (RFC 5890 §2.3.2.1 A-labels).
  test.each([
    { who: 'ユーザー@例え.テスト', names: ['ユーザー@例え.テスト', 'ユーザー'] },
    { who: 'ユーザー@XN--R8JZ45G.xn--zckzah', names: ['ユーザー@例え.テスト', 'ユーザー'] },
    { who: '"ユー ザー"@例え.テスト', names: ['"ユー ザー"@例え.テスト', 'ユー ザー'] },
    { who: 'josé@bücher.example', names: ['josé@bücher.example', 'josé'] },
    { who: 'alice@例え.テスト', names: ['alice@xn--r8jz45g.xn--zckzah', 'alice'] },
    { who: 'ユーザー@example.test', names: ['ユーザー@example.test', 'ユーザー'] },
  ])('RFC 6186 §4: $who logs in as $names, never a mix of Unicode and A-labels', async ({ who, names }) => {
    const domain = new URL(`http://${who.split('@')[1]}/`).hostname;
    const result = await discoverIn([srv(`_imaps._tcp.${domain}`, 0, 1, 993, `imap.${domain}`)], who);
    expect(result.incoming?.usernames).toEqual(names);
  });

  test('RFC 6186 §4: cached settings are reused with zero network requests until the shortest TTL runs out', async () => {
    const resolver = zoneResolver(zone);
    const clock = manualClock();
    const storage = memoryStorage();
    const platform = testPlatform(resolver.fetch, { now: clock.now, storage });
    const first = await discoverWithCache(address('alice@example.test'), OPTIONS, platform);
    expect(first).toMatchObject({ fromCache: false, timing: { queries: 6 } });

    clock.advance(299_000);
    const second = await discoverWithCache(address('bob@example.test'), OPTIONS, platform);
    expect(resolver.calls).toHaveLength(6);
    expect(second).toMatchObject({ fromCache: true, timing: { queries: 0 }, address: 'bob@example.test' });
    expect(second.incoming).toEqual({ ...first.incoming, usernames: ['bob@example.test', 'bob'] });

    clock.advance(2_000); // past the 300 s TTL of the submissions record
    const third = await discoverWithCache(address('alice@example.test'), OPTIONS, platform);
    expect(third.fromCache).toBe(false);
    expect(resolver.calls).toHaveLength(12);
  });

  test('RFC 6186 §4: nothing is cached from a failed or empty lookup, or with TTL 0', async () => {
    for (const records of [[], [srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`, 0)]]) {
      const storage = memoryStorage();
      await discoverWithCache(address('a@example.test'), OPTIONS, testPlatform(zoneResolver(records).fetch, { storage }));
      expect(storage.data.size).toBe(0);
    }
  });

  test.each([
    { name: 'settings that are not objects', discovery: { status: 'found', incoming: 'evil', alternatives: [], badge: {} } },
    { name: 'no alternatives list', discovery: { status: 'found', incoming: null, badge: {} } },
    { name: 'a host name with a line break', discovery: { status: 'found', incoming: { protocol: 'imap', hostname: 'a b\n.test', port: 993,
      security: 'tls', inDomain: true, dnssec: true }, outgoing: null, alternatives: [], badge: {} } },
    { name: 'a stored failure', discovery: { status: 'resolver-failure', alternatives: [], badge: {} } },
  ])('RFC 6186 §4: a damaged cache entry of the current version ($name) reads as a miss, never as settings', async ({ discovery }) => {
    const storage = memoryStorage();
    await storage.set(`discovery:${D}`, stored(discovery));
    const resolver = zoneResolver(zone);
    const result = await discoverWithCache(address('a@example.test'), OPTIONS, testPlatform(resolver.fetch, { storage }));
    expect(result.fromCache).toBe(false);
    expect(result.incoming?.hostname).toBe(`imap.${D}`);
  });

  test('RFC 6186 §4: the same entry, undamaged, is read (so the cases above miss for their damage alone)', async () => {
    const storage = memoryStorage();
    const { resolver: _, ...discovery } = await discoverIn([srv(`_imaps._tcp.${D}`, 0, 1, 993, `cached.${D}`)]);
    await storage.set(`discovery:${D}`, stored(discovery));
    const result = await discoverWithCache(address('a@example.test'), OPTIONS, testPlatform(zoneResolver(zone).fetch, { storage }));
    expect(result).toMatchObject({ fromCache: true, incoming: { hostname: `cached.${D}` } });
  });

  test('RFC 6186 §4: after an IMAP failure only the IMAP labels are queried again, and POP3 is never switched to', async () => {
    const before = await discoverIn(zone);
    expect(before.incoming?.protocol).toBe('imap');
    // The domain now prefers POP3, but the user configured IMAP: the re-lookup stays on IMAP.
    const changed = [srv(`_imaps._tcp.${D}`, 20, 1, 993, `imap2.${D}`), srv(`_pop3s._tcp.${D}`, 0, 1, 995, `pop.${D}`), zone[2]!];
    const resolver = zoneResolver(changed);
    const after = await relookup(address('alice@example.test'), 'imap', before, OPTIONS, testPlatform(resolver.fetch));
    expect(resolver.calls.map((c) => c.name).sort()).toEqual([`_imap._tcp.${D}`, `_imaps._tcp.${D}`]);
    expect(after.incoming).toMatchObject({ protocol: 'imap', hostname: `imap2.${D}` });
    expect(after.outgoing).toEqual(before.outgoing);
    expect(after.badge.level).toBe('tls');
  });

  test('RFC 6186 §4: a re-look-up never keeps the other side in the cache past its own TTL', async () => {
    const clock = manualClock();
    const storage = memoryStorage();
    const platform = testPlatform(zoneResolver(zone).fetch, { now: clock.now, storage });
    const before = await discoverWithCache(address('alice@example.test'), OPTIONS, platform); // cached for 300 s (submissions)
    clock.advance(200_000);
    await relookup(address('alice@example.test'), 'imap', before, OPTIONS, platform);
    expect(storage.data.has(`discovery:${D}`)).toBe(true);
    clock.advance(101_000); // 301 s after the submissions record was read: it may be withdrawn by now
    expect((await discoverWithCache(address('alice@example.test'), OPTIONS, platform)).fromCache).toBe(false);
  });

  test('RFC 6186 §4: a re-look-up without a fresh cache entry is not cached (the kept side is of unknown age)', async () => {
    const storage = memoryStorage();
    const before = await discoverIn(zone);
    await relookup(address('alice@example.test'), 'imap', before, OPTIONS, testPlatform(zoneResolver(zone).fetch, { storage }));
    expect(storage.data.size).toBe(0);
  });

  test('RFC 6186 §4: after a submission failure only the submission labels are queried again', async () => {
    const before = await discoverIn(zone);
    const resolver = zoneResolver([...zone.slice(0, 2), srv(`_submission._tcp.${D}`, 0, 1, 587, `smtp2.${D}`)]);
    const after = await relookup(address('alice@example.test'), 'smtp', before, OPTIONS, testPlatform(resolver.fetch));
    expect(resolver.calls.map((c) => c.name).sort()).toEqual([`_submission._tcp.${D}`, `_submissions._tcp.${D}`]);
    expect(after.incoming).toEqual(before.incoming);
    expect(after.outgoing).toMatchObject({ hostname: `smtp2.${D}`, security: 'starttls' });
    expect(after.badge.level).toBe('starttls');
  });
});
