import { describe, expect, test } from 'vitest';
import { matchShown, serverRef, shownServer } from '../../../src/core/accounts/match-shown.ts';
import type { Choice, ChosenSetting } from '../../../src/core/discovery/choose-settings.ts';
import type { Hostname } from '../../../src/core/address/parse-hostname.ts';
import type { ServerProbe } from '../../../src/core/probe/judge-probe.ts';
import { verdict, type Probes, type Setting } from '../../../src/core/verdict/verdict.ts';

const setting = (protocol: 'imap' | 'smtp', extra: Partial<ChosenSetting> = {}): ChosenSetting => ({
  protocol, hostname: `${protocol}.provider.test` as Hostname, port: protocol === 'imap' ? 993 : 465, security: 'tls',
  usernames: ['a@example.org'], inDomain: false, dnssec: false, ttl: 60,
  service: protocol === 'imap' ? '_imaps._tcp' : '_submissions._tcp', ...extra,
});
const choice = (extra: Partial<ChosenSetting> = {}): Choice => ({
  status: 'found', address: 'a@example.org', domain: 'example.org' as Hostname,
  incoming: setting('imap', extra), outgoing: setting('smtp', extra),
  alternatives: [], notOffered: [], rejected: [], dnssec: false, error: null,
});
const certificate = { valid: true, namesTarget: true, namesDomain: false, notAfter: '2030-01-01T00:00:00Z', issuer: 'CA' };
const probe = (extra: Partial<ServerProbe> = {}): ServerProbe =>
  ({ status: 'ok', tlsVersion: 'TLSv1.3', certificate, starttls: null, auth: ['PLAIN'], dane: 'absent', ...extra });
const both = (p: ServerProbe): Probes => ({ incoming: p, outgoing: p });
const failed = probe({ status: 'failed', reason: 'probe-certificate-expired', certificate: { ...certificate, valid: false } });
const TIMING = { elapsedMs: 0, queries: 0 };

describe('verdict: verifiedBy and the one badge (docs/badge.md, docs/trust.md)', () => {
  test.each([
    { name: 'out of the domain, unsigned, not probed: unverified', extra: {}, probes: null, verifiedBy: [], level: 'unverified' },
    {
      name: 'RFC 6125 §6.2.1: a valid certificate naming the email domain vouches',
      extra: {}, probes: both(probe({ certificate: { ...certificate, namesDomain: true } })), verifiedBy: ['certificate'], level: 'tls'
    },
    {
      name: 'RFC 6125 §6.2.1: a valid certificate for the target only does not',
      extra: {}, probes: both(probe()), verifiedBy: [], level: 'unverified'
    },
    {
      name: 'a certificate naming the domain that does not validate does not vouch',
      extra: {}, verifiedBy: [], level: 'unverified',
      probes: both(probe({ certificate: { ...certificate, valid: false, namesDomain: true } })),
    },
    {
      name: 'RFC 7673 §3: a TLSA match under DNSSEC vouches',
      extra: { dnssec: true }, probes: both(probe({ dane: 'valid' })), verifiedBy: ['dnssec', 'dane'], level: 'tls'
    },
    {
      name: 'a failed probe makes the level none, even in the domain',
      extra: { inDomain: true }, probes: both(failed), verifiedBy: ['in-domain'], level: 'none'
    },
    {
      name: 'a platform without sockets keeps the DNS level and says not probed',
      extra: { inDomain: true }, probes: 'unavailable' as const, verifiedBy: ['in-domain'], level: 'tls'
    },
  ])('$name', ({ extra, probes, verifiedBy, level }) => {
    const d = verdict(choice(extra), null, probes, TIMING);
    expect(d.incoming?.verifiedBy).toEqual(verifiedBy);
    expect(d.badge.level).toBe(level);
  });

  test('a failed probe names itself and its reason, per side, first', () => {
    const d = verdict(choice({ inDomain: true }), null, { incoming: failed, outgoing: probe() }, TIMING);
    expect(d.badge.reasons.slice(0, 2)).toEqual(['incoming-probe-failed', 'probe-certificate-expired']);
    expect(d.badge.reasons).not.toContain('outgoing-probe-failed');
  });

  test('"not probed" is said only where the platform has no sockets', () => {
    expect(verdict(choice({ inDomain: true }), null, 'unavailable', TIMING).badge.reasons).toContain('not-probed');
    expect(verdict(choice({ inDomain: true }), null, null, TIMING).badge.reasons).not.toContain('not-probed');
  });
});

describe('RFC 6186 §6: the account paths count the probe (src/core/accounts/match-shown.ts)', () => {
  test.each([
    {
      name: 'a certificate naming the domain: used without the trust tick',
      probes: both(probe({ certificate: { ...certificate, namesDomain: true } })), trusted: false, expected: { ok: true }
    },
    {
      name: 'nothing vouches: refused without the trust tick',
      probes: both(probe()), trusted: false, expected: { ok: false, reason: 'account-unverified' }
    },
    {
      name: 'a failed probe: refused without the trust tick, with its own reason',
      probes: both(failed), trusted: false, expected: { ok: false, reason: 'account-probe-failed' }
    },
    {
      name: 'a failed probe: used only when the user trusts exactly what was shown, failure included',
      probes: both(failed), trusted: true, expected: { ok: true }
    },
    {
      name: 'a failed probe the user never saw (the server looked clean when shown): refused even with the trust tick',
      probes: both(failed), trusted: true, seen: serverRef, expected: { ok: false, reason: 'account-probe-failed' }
    },
    {
      name: 'another failure than the one shown: refused even with the trust tick',
      probes: both(failed), trusted: true, seen: (s: Setting) => ({ ...shownServer(s), probeFailure: 'probe-no-starttls' }),
      expected: { ok: false, reason: 'account-probe-failed' }
    },
  ])('$name', ({ probes, trusted, expected, seen = shownServer }) => {
    const d = verdict(choice(), null, probes, TIMING);
    expect(matchShown(d, seen(d.incoming!), trusted)).toMatchObject(expected);
  });
});
