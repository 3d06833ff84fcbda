import { describe, expect, test } from 'vitest';
import { badgeFor, transportReasons, type BadgeInput } from '../../../src/core/verdict/badge.ts';
import type { Transport } from '../../../src/core/transport/index.ts';

const tls: BadgeInput = { security: 'tls', inDomain: true, dnssec: true };
const starttls: BadgeInput = { security: 'starttls', inDomain: true, dnssec: true };
const outsideUnsigned: BadgeInput = { security: 'tls', inDomain: false, dnssec: false };
const outsideSigned: BadgeInput = { security: 'tls', inDomain: false, dnssec: true };
const unsigned: BadgeInput = { security: 'tls', inDomain: true, dnssec: false };

describe('badgeFor: the levels of docs/badge.md', () => {
  test.each([
    { name: 'both implicit TLS, in-domain', incoming: tls, outgoing: tls, level: 'tls', reasons: ['all-implicit-tls', 'dnssec-validated'] },
    {
      name: 'in-domain without DNSSEC is still tls',
      incoming: unsigned,
      outgoing: unsigned,
      level: 'tls',
      reasons: ['all-implicit-tls', 'dnssec-not-validated'],
    },
    {
      name: 'outside the domain but DNSSEC-validated',
      incoming: outsideSigned,
      outgoing: tls,
      level: 'tls',
      reasons: ['all-implicit-tls', 'dnssec-validated'],
    },
    { name: 'incoming STARTTLS', incoming: starttls, outgoing: tls, level: 'starttls', reasons: ['incoming-starttls', 'dnssec-validated'] },
    { name: 'outgoing STARTTLS', incoming: tls, outgoing: starttls, level: 'starttls', reasons: ['outgoing-starttls', 'dnssec-validated'] },
    {
      name: 'outside without DNSSEC',
      incoming: outsideUnsigned,
      outgoing: unsigned,
      level: 'unverified',
      reasons: ['incoming-outside-domain', 'all-implicit-tls', 'dnssec-not-validated'],
    },
    {
      name: 'unverified outranks starttls',
      incoming: starttls,
      outgoing: outsideUnsigned,
      level: 'unverified',
      reasons: ['incoming-starttls', 'outgoing-outside-domain', 'dnssec-not-validated'],
    },
    { name: 'no outgoing', incoming: tls, outgoing: null, level: 'none', reasons: ['outgoing-not-found'] },
    { name: 'nothing', incoming: null, outgoing: null, level: 'none', reasons: ['incoming-not-found', 'outgoing-not-found'] },
  ])('$name → $level', ({ incoming, outgoing, level, reasons }) => {
    expect(badgeFor(incoming, outgoing, false)).toEqual({ level, reasons });
  });

  test('a failed lookup is none whatever was found', () => {
    expect(badgeFor(tls, tls, true)).toEqual({ level: 'none', reasons: ['lookup-failed'] });
  });
});

describe('transportReasons: a check that could not be made is not a configuration fault', () => {
  const transport = (mtaSts: Transport['mtaSts'], tlsRpt: Transport['tlsRpt'], dane: Transport['dane'] = []): Transport => ({
    mtaSts,
    tlsRpt,
    dane,
  });

  test('failed TXT lookups say "could not be checked", never "published but broken"', () => {
    const reasons = transportReasons(transport(
      { status: 'error', reason: 'mta-sts-lookup-failed', detail: 'SERVFAIL' },
      { status: 'error', reason: 'tls-rpt-lookup-failed', detail: 'SERVFAIL' },
      [{ host: 'mx.example.test', port: 25, source: 'mx', status: 'error', reason: 'dane-lookup-failed' }],
    ));
    expect(reasons).toEqual(['mta-sts-unchecked', 'tls-rpt-unchecked', 'dane-unchecked']);
  });

  test('records that are published and invalid stay broken', () => {
    const reasons = transportReasons(transport(
      { status: 'invalid', reason: 'mta-sts-txt-syntax' },
      { status: 'invalid', reason: 'tls-rpt-no-rua' },
      [{ host: 'mx.example.test', port: 25, source: 'mx', status: 'invalid', reason: 'dane-unusable' }],
    ));
    expect(reasons).toEqual(['mta-sts-broken', 'tls-rpt-broken', 'dane-broken']);
  });

  test('RFC 8461 §3.3: a cached policy applied while the live check failed says so beside its mode', () => {
    const cached: Transport['mtaSts'] = {
      status: 'valid',
      id: '1',
      mode: 'enforce',
      maxAge: 86400,
      mx: ['mx.example.test'],
      mxHosts: ['mx.example.test'],
      mxMismatch: [],
      fromCache: true,
      live: { status: 'error', reason: 'mta-sts-lookup-failed', detail: 'SERVFAIL' },
    };
    expect(transportReasons(transport(cached, { status: 'absent' }))).toEqual(['mta-sts-enforce', 'mta-sts-cached', 'tls-rpt-absent']);
  });
});
