import { describe, expect, test } from 'vitest';
import type { Connect } from '../../src/core/probe/connection.ts';
import { discoverWithCache } from '../../src/core/settings-cache.ts';
import { srv, testPlatform, zoneResolver } from '../support/fake-resolver.ts';
import { memoryStorage } from '../support/memory-storage.ts';
import { address, OPTIONS } from '../support/discovery.ts';

const D = 'example.test';
const zone = [srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`), srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`)];
const refused: Connect = async () => ({ ok: false, reason: 'connect-refused', detail: 'ECONNREFUSED' });
const probing = { ...OPTIONS, probe: true };

describe('the cache and the server probe (src/core/settings-cache.ts)', () => {
  test('a result whose probe failed is not kept: the next lookup probes again rather than repeat a passing fault', async () => {
    const storage = memoryStorage();
    let connects = 0;
    const connect: Connect = (request) => { connects++; return refused(request); };
    const platform = testPlatform(zoneResolver(zone).fetch, { storage, connect });
    const first = await discoverWithCache(address(`a@${D}`), probing, platform);
    // A server that cannot be reached proves nothing either way: the level stands, and the badge says "not probed".
    expect(first.badge).toMatchObject({ level: 'tls', reasons: expect.arrayContaining(['not-probed']) });
    expect(first.badge.reasons).not.toContain('incoming-probe-failed');
    const second = await discoverWithCache(address(`a@${D}`), probing, platform);
    expect(second.fromCache).toBe(false);
    expect(connects).toBe(4);
  });

  test('an entry made without probes does not answer a lookup that asks for them where sockets exist', async () => {
    const storage = memoryStorage();
    const platform = testPlatform(zoneResolver(zone).fetch, { storage, connect: refused });
    await discoverWithCache(address(`a@${D}`), OPTIONS, platform);
    expect((await discoverWithCache(address(`a@${D}`), OPTIONS, platform)).fromCache).toBe(true);
    expect((await discoverWithCache(address(`a@${D}`), probing, platform)).fromCache).toBe(false);
  });

  test('where there are no sockets (Chromium), an unprobed entry answers and says "not probed"', async () => {
    const storage = memoryStorage();
    const platform = testPlatform(zoneResolver(zone).fetch, { storage });
    await discoverWithCache(address(`a@${D}`), probing, platform);
    const again = await discoverWithCache(address(`a@${D}`), probing, platform);
    expect(again.fromCache).toBe(true);
    expect(again.badge.reasons).toContain('not-probed');
  });
});

describe('the cache and the resolver (src/core/settings-cache.ts)', () => {
  test('settings looked up through one resolver do not answer for another (DNSSEC is that resolver\'s word)', async () => {
    const storage = memoryStorage();
    const platform = testPlatform(zoneResolver(zone).fetch, { storage });
    await discoverWithCache(address(`a@${D}`), OPTIONS, platform);
    expect((await discoverWithCache(address(`a@${D}`), OPTIONS, platform)).fromCache).toBe(true);
    const other = { ...OPTIONS, resolvers: ['https://other.example/dns-query'] };
    expect((await discoverWithCache(address(`a@${D}`), other, platform)).fromCache).toBe(false);
    expect((await discoverWithCache(address(`a@${D}`), other, platform)).fromCache).toBe(true);
  });
});
