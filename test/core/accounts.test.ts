import { describe, expect, test } from 'vitest';
import { accountLevel, assessServer } from '../../src/core/accounts/assess-account.ts';
import { chooseLogin, planAccount, serverSettings } from '../../src/core/accounts/plan-account.ts';
import type { ServerRef } from '../../src/core/accounts/match-shown.ts';
import type { ServerProbe } from '../../src/core/probe/judge-probe.ts';
import { verdict } from '../../src/core/verdict/verdict.ts';
import { srv } from '../support/fake-resolver.ts';
import { discoverIn } from '../support/discovery.ts';

const D = 'example.test';
const both = [
  srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`),
  srv(`_imap._tcp.${D}`, 0, 1, 143, `imap.${D}`),
  srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`),
];

const shownIn = { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' } as const;
const shownOut = { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls' } as const;
const shown = (address: string, incoming: ServerRef = shownIn, outgoing: ServerRef = shownOut) => ({ address, incoming, outgoing });

describe('planAccount', () => {
  test('uses the servers shown and RFC 6186 §4 username order', async () => {
    const plan = planAccount(await discoverIn(both, 'Alice@example.test'), shown('Alice@example.test'), false);
    expect(plan.ok && { incoming: serverSettings(plan.plan.incoming, 'x'), usernames: plan.plan.usernames }).toEqual({
      incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls', username: 'x' },
      usernames: ['Alice@example.test', 'Alice'],
    });
  });

  test('RFC 6186 §6: unverified needs confirmation', async () => {
    const outside = [
      srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.provider.test'),
      srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.provider.test'),
    ];
    const discovery = await discoverIn(outside, 'a@example.test', { ad: false });
    const seen = shown('a@example.test', { ...shownIn, hostname: 'imap.provider.test' }, { ...shownOut, hostname: 'smtp.provider.test' });
    expect(planAccount(discovery, seen, false)).toEqual({ ok: false, reason: 'account-unverified' });
    expect(planAccount(discovery, seen, true).ok).toBe(true);
  });

  test.each([
    { name: 'another host', change: { incoming: { ...shownIn, hostname: 'imap.attacker.test' } } },
    { name: 'another port', change: { outgoing: { ...shownOut, port: 2465 } } },
    { name: 'STARTTLS instead of TLS', change: { incoming: { ...shownIn, security: 'starttls' } } },
    { name: 'another address', change: { address: 'bob@example.test' } },
  ] as const)('RFC 6186 §6: a plan that differs from what was shown ($name) is refused', async ({ change }) => {
    const discovery = await discoverIn(both, 'a@example.test');
    expect(planAccount(discovery, { ...shown('a@example.test'), ...change }, true)).toEqual({
      ok: false,
      reason: 'account-settings-changed',
    });
  });

  test('no account without both an incoming and an outgoing server', async () => {
    expect(planAccount(await discoverIn([both[0]!]), shown('alice@example.test'), true)).toEqual({
      ok: false,
      reason: 'account-incomplete',
    });
  });
});

describe('chooseLogin', () => {
  test('RFC 6186 §4: the full address is tried first, then the local-part; the first that logs in wins', async () => {
    const tried: string[] = [];
    const result = await chooseLogin(['alice@example.test', 'alice'], async (u) => { tried.push(u); return u === 'alice'; });
    expect(result).toBe('alice');
    expect(tried).toEqual(['alice@example.test', 'alice']);
    expect(await chooseLogin(['a@b.test', 'a'], async () => false)).toBeNull();
  });
});

describe('assessServer', () => {
  test.each([
    {
      name: 'matches the published implicit TLS server',
      server: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' as const },
      weak: [],
    },
    {
      name: 'STARTTLS while implicit TLS is offered (RFC 8314 §5.1)',
      server: { protocol: 'imap', hostname: `imap.${D}`, port: 143, security: 'starttls' as const },
      weak: ['weak-starttls-while-tls-offered'],
    },
    {
      name: 'a host the domain does not publish',
      server: { protocol: 'imap', hostname: 'mail.other.test', port: 993, security: 'tls' as const },
      weak: ['weak-host-not-in-srv'],
    },
    {
      name: 'plain text',
      server: { protocol: 'imap', hostname: `IMAP.${D}.`, port: 143, security: 'plain' as const },
      weak: ['weak-plaintext'],
    },
    {
      name: 'SMTP on the published submission server',
      server: { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls' as const },
      weak: [],
    },
  ])('$name', async ({ server, weak }) => {
    expect(assessServer(server, await discoverIn(both))).toEqual(weak);
  });
});

describe('proposeUpdate', () => {
  test('RFC 6186 §4: a weaker account is offered the best published server of its own protocol only', async () => {
    const { proposeUpdate } = await import('../../src/core/accounts/assess-account.ts');
    const discovery = await discoverIn([...both, srv(`_pop3s._tcp.${D}`, 0, 1, 995, `pop.${D}`)]);
    const weakPop = { protocol: 'pop3', hostname: `pop.${D}`, port: 110, security: 'starttls' as const };
    expect(proposeUpdate(weakPop, null, discovery)).toEqual({
      incoming: expect.objectContaining({ protocol: 'pop3', hostname: `pop.${D}`, port: 995, security: 'tls' }),
      outgoing: null,
      verified: true,
    });
    const fine = { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' as const };
    expect(proposeUpdate(fine, { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls' }, discovery)).toBeNull();
  });

  test('RFC 8314 §5.1: an account on implicit TLS is never offered a STARTTLS server, verified or not', async () => {
    const { proposeUpdate } = await import('../../src/core/accounts/assess-account.ts');
    // A forged NODATA for _imaps leaves only an in-domain, signed _imap record on another host.
    const starttlsOnly = [srv(`_imap._tcp.${D}`, 0, 1, 143, `mail2.${D}`)];
    const onTls = { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' as const };
    expect(proposeUpdate(onTls, null, await discoverIn(starttlsOnly, 'a@example.test', { ad: true }))).toBeNull();
    expect(proposeUpdate(onTls, null, await discoverIn(starttlsOnly, 'a@example.test', { ad: false }))).toBeNull();
    // Plain text to STARTTLS is still an improvement.
    const onPlain = { ...onTls, port: 143, security: 'plain' as const };
    const discovery = await discoverIn(starttlsOnly, 'a@example.test', { ad: true });
    expect(proposeUpdate(onPlain, null, discovery)).toMatchObject({
      incoming: { hostname: `mail2.${D}`, security: 'starttls' },
      verified: true,
    });
  });
});

describe('RFC 6186 §6: unverified published servers are no yardstick', () => {
  const spoofed = [
    srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.attacker.test'),
    srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.attacker.test'),
  ];
  const own = { protocol: 'imap', hostname: `imap.${D}`, port: 143, security: 'starttls' as const };

  test('an account on its own domain is not "weaker" than servers nothing vouches for', async () => {
    const discovery = await discoverIn(spoofed, 'a@example.test', { ad: false });
    expect(assessServer(own, discovery)).toEqual([]);
    expect(accountLevel([own], discovery)).toBe('starttls');
  });

  test('they are offered only as unverified, never as an improvement', async () => {
    const { proposeUpdate } = await import('../../src/core/accounts/assess-account.ts');
    const discovery = await discoverIn(spoofed, 'a@example.test', { ad: false });
    expect(proposeUpdate(own, null, discovery)).toMatchObject({
      incoming: { hostname: 'imap.attacker.test' },
      outgoing: null,
      verified: false,
    });
  });

  test('with DNSSEC they vouch: the same account is weaker, and the move is verified', async () => {
    const { proposeUpdate } = await import('../../src/core/accounts/assess-account.ts');
    const discovery = await discoverIn(spoofed, 'a@example.test', { ad: true });
    expect(assessServer(own, discovery)).toEqual(['weak-starttls-while-tls-offered', 'weak-host-not-in-srv']);
    expect(proposeUpdate(own, null, discovery)).toMatchObject({ incoming: { hostname: 'imap.attacker.test' }, verified: true });
  });

  test.each([
    { name: 'in the domain', server: own, level: 'starttls' },
    { name: 'plain text', server: { ...own, security: 'plain' as const }, level: 'none' },
    {
      name: 'outside the domain, unpublished',
      server: { ...own, hostname: 'mail.elsewhere.test', security: 'tls' as const },
      level: 'unverified',
    },
  ])('accountLevel: $name', async ({ server, level }) => {
    expect(accountLevel([server], await discoverIn(spoofed, 'a@example.test', { ad: false }))).toBe(level);
  });
});

describe('accountLevel: an account gets the level the popup gives the same servers (docs/badge.md)', () => {
  const provider = [
    srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.provider.test'),
    srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.provider.test'),
  ];
  const certificate = { valid: true, namesTarget: true, namesDomain: true, notAfter: '2030-01-01T00:00:00Z', issuer: 'CA' };
  const probe = (extra: Partial<ServerProbe> = {}): ServerProbe =>
    ({ status: 'ok', tlsVersion: 'TLSv1.3', certificate, starttls: null, auth: ['PLAIN'], dane: 'absent', ...extra });
  /** The discovery of `records` (no AD) with both chosen servers probed as `p`. */
  const probed = async (records: ReturnType<typeof srv>[], p: ServerProbe) => {
    const found = await discoverIn(records, 'a@example.test', { ad: false });
    return verdict(found, null, { incoming: p, outgoing: p }, found.timing);
  };
  const onProvider = [
    { protocol: 'imap', hostname: 'imap.provider.test', port: 993, security: 'tls' as const },
    { protocol: 'smtp', hostname: 'smtp.provider.test', port: 465, security: 'tls' as const },
  ];

  test('RFC 6186 §6 via RFC 6125 §6: provider servers a certificate for the domain vouched for are tls, as in the popup', async () => {
    const discovery = await probed(provider, probe());
    expect(discovery.badge.level).toBe('tls');
    expect(accountLevel(onProvider, discovery)).toBe('tls');
  });

  test.each([
    { name: 'another port', server: { ...onProvider[0]!, port: 994 } },
    { name: 'STARTTLS on port 143', server: { ...onProvider[0]!, port: 143, security: 'starttls' as const } },
    { name: 'another protocol', server: { ...onProvider[0]!, protocol: 'pop3', port: 995 } },
  ])('the certificate vouched for the published server only, not the same host on $name: unverified', async ({ server }) => {
    const discovery = await probed(provider, probe());
    expect(accountLevel([server, onProvider[1]!], discovery)).toBe('unverified');
  });

  test('a certificate for the provider only vouches for nothing: unverified', async () => {
    const discovery = await probed(provider, probe({ certificate: { ...certificate, namesDomain: false } }));
    expect(accountLevel(onProvider, discovery)).toBe('unverified');
  });

  test('a server whose probe failed is none, even in the domain', async () => {
    const failed = probe({ status: 'failed', reason: 'probe-certificate-expired', certificate: { ...certificate, valid: false } });
    const discovery = await probed(both, failed);
    expect(discovery.badge.level).toBe('none');
    const own = [{ ...shownIn }, { ...shownOut }];
    expect(accountLevel(own, discovery)).toBe('none');
  });
});
