// RFC 6186 §6: targets outside the queried domain are flagged; without DNSSEC the user must confirm.
import { describe, expect, test } from 'vitest';
import { isInDomain } from '../../../src/core/discovery/is-in-domain.ts';
import { parseHostname, type Hostname } from '../../../src/core/address/parse-hostname.ts';
import { srv } from '../../support/fake-resolver.ts';
import { discoverIn } from '../../support/discovery.ts';

const host = (name: string): Hostname => {
  const parsed = parseHostname(name);
  if (!parsed.ok) throw new Error(name);
  return parsed.hostname;
};

describe('RFC 6186 §6', () => {
  test.each([
    { target: 'example.test', inDomain: true },
    { target: 'imap.example.test', inDomain: true },
    { target: 'a.b.example.test', inDomain: true },
    { target: 'badexample.test', inDomain: false },
    { target: 'example.test.evil.test', inDomain: false },
    { target: 'provider.test', inDomain: false },
  ])('RFC 6186 §6: $target is in-domain for example.test: $inDomain', ({ target, inDomain }) => {
    expect(isInDomain(host(target), host('example.test'))).toBe(inDomain);
  });

  const outside = [
    srv('_imaps._tcp.example.test', 0, 1, 993, 'imap.provider.test'),
    srv('_submissions._tcp.example.test', 0, 1, 465, 'smtp.example.test'),
  ];

  test('RFC 6186 §6: an out-of-domain target without DNSSEC makes the badge "unverified"', async () => {
    const result = await discoverIn(outside, 'alice@example.test', { ad: false });
    expect(result.incoming).toMatchObject({ inDomain: false, dnssec: false });
    expect(result.outgoing).toMatchObject({ inDomain: true, dnssec: false });
    expect(result.badge).toMatchObject({ level: 'unverified', reasons: expect.arrayContaining(['incoming-outside-domain']) });
    expect(result.badge.reasons).not.toContain('outgoing-outside-domain');
  });

  test('RFC 6186 §6: the same target validated by DNSSEC (AD) is flagged but trusted', async () => {
    const result = await discoverIn(outside, 'alice@example.test', { ad: true });
    expect(result.incoming).toMatchObject({ inDomain: false, dnssec: true });
    expect(result.badge.level).toBe('tls');
  });

  test('RFC 6186 §3 and §6: only the address\'s own domain is queried, never a parent domain (no "fail-up")', async () => {
    const result = await discoverIn([], 'alice@mail.dept.example.test');
    expect(result.status).toBe('not-published');
    expect(result.resolver.calls.every((c) => c.name.endsWith('._tcp.mail.dept.example.test'))).toBe(true);
    expect(result.resolver.calls).toHaveLength(6);
  });
});
