// RFC 2782: the target "must not be an alias". Such a target is used (clients resolve it anyway), but reported.
import { expect, test } from 'vitest';
import { aliasTargets } from '../../../src/core/discovery/alias-targets.ts';
import { srv, testPlatform, zoneResolver, type FakeRecord } from '../../support/fake-resolver.ts';
import { discoverIn, OPTIONS } from '../../support/discovery.ts';

const D = 'example.test';
const zone: FakeRecord[] = [
  srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`),
  srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`),
  { name: `imap.${D}`, type: 'CNAME', data: 'mail.provider.test' },
  { name: 'mail.provider.test', type: 'A', data: '192.0.2.1' },
  { name: `smtp.${D}`, type: 'A', data: '192.0.2.2' },
];

test('RFC 2782 "The format of the SRV RR": a Target reached through a CNAME is an alias; one with its own address is not', async () => {
  const resolver = zoneResolver(zone);
  expect(await aliasTargets([`imap.${D}`, `smtp.${D}`], OPTIONS, testPlatform(resolver.fetch))).toEqual([`imap.${D}`]);
});

test('RFC 2782 "The format of the SRV RR": an aliased Target is still used, and the badge says so for its side only', async () => {
  const result = await discoverIn(zone, `a@${D}`, { options: { ...OPTIONS, transport: true } });
  expect(result.incoming?.hostname).toBe(`imap.${D}`);
  expect(result.badge.reasons).toContain('incoming-target-alias');
  expect(result.badge.reasons).not.toContain('outgoing-target-alias');
});
