import { describe, expect, test } from 'vitest';
import { badgeFor, type BadgeInput } from '../../src/core/badge.ts';

const tls: BadgeInput = { security: 'tls', inDomain: true, dnssec: true };
const starttls: BadgeInput = { security: 'starttls', inDomain: true, dnssec: true };
const outsideUnsigned: BadgeInput = { security: 'tls', inDomain: false, dnssec: false };
const outsideSigned: BadgeInput = { security: 'tls', inDomain: false, dnssec: true };
const unsigned: BadgeInput = { security: 'tls', inDomain: true, dnssec: false };

describe('badgeFor: DESIGN §4 levels', () => {
  test.each([
    { name: 'both implicit TLS, in-domain', incoming: tls, outgoing: tls, level: 'tls', reasons: ['all-implicit-tls', 'dnssec-validated'] },
    { name: 'in-domain without DNSSEC is still tls', incoming: unsigned, outgoing: unsigned, level: 'tls', reasons: ['all-implicit-tls', 'dnssec-not-validated'] },
    { name: 'outside the domain but DNSSEC-validated', incoming: outsideSigned, outgoing: tls, level: 'tls', reasons: ['all-implicit-tls', 'dnssec-validated'] },
    { name: 'incoming STARTTLS', incoming: starttls, outgoing: tls, level: 'starttls', reasons: ['incoming-starttls', 'dnssec-validated'] },
    { name: 'outgoing STARTTLS', incoming: tls, outgoing: starttls, level: 'starttls', reasons: ['outgoing-starttls', 'dnssec-validated'] },
    { name: 'outside without DNSSEC', incoming: outsideUnsigned, outgoing: unsigned, level: 'unverified', reasons: ['incoming-outside-domain', 'all-implicit-tls', 'dnssec-not-validated'] },
    { name: 'unverified outranks starttls', incoming: starttls, outgoing: outsideUnsigned, level: 'unverified', reasons: ['incoming-starttls', 'outgoing-outside-domain', 'dnssec-not-validated'] },
    { name: 'no outgoing', incoming: tls, outgoing: null, level: 'none', reasons: ['outgoing-not-found'] },
    { name: 'nothing', incoming: null, outgoing: null, level: 'none', reasons: ['incoming-not-found', 'outgoing-not-found'] },
  ])('$name → $level', ({ incoming, outgoing, level, reasons }) => {
    expect(badgeFor(incoming, outgoing, false)).toEqual({ level, reasons });
  });

  test('a failed lookup is none whatever was found', () => {
    expect(badgeFor(tls, tls, true)).toEqual({ level: 'none', reasons: ['lookup-failed'] });
  });
});
