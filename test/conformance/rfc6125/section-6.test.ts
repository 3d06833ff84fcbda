// RFC 6125 §6 (with RFC 4985 and RFC 7817 §3 for SRV-IDs): whether a presented certificate names the service.
import { describe, expect, test } from 'vitest';
import { matchesDnsId, matchesSrvId, namesDomain, namesTarget } from '../../../src/core/probe/match-name.ts';

describe('RFC 6125 §6.4: DNS-ID matching', () => {
  test.each([
    { name: 'RFC 6125 §6.4.1: identical names match', presented: 'imap.example.org', reference: 'imap.example.org', match: true },
    { name: 'RFC 6125 §6.4.1: case does not matter', presented: 'IMAP.Example.ORG', reference: 'imap.example.org', match: true },
    { name: 'RFC 6125 §6.4.1: a trailing dot does not matter', presented: 'imap.example.org.', reference: 'imap.example.org', match: true },
    { name: 'RFC 6125 §6.4.1: another name does not match', presented: 'mail.example.org', reference: 'imap.example.org', match: false },
    { name: 'RFC 6125 §6.4.1: a parent domain does not match', presented: 'example.org', reference: 'imap.example.org', match: false },
    {
      name: 'RFC 6125 §6.4.3: * matches one whole left-most label',
      presented: '*.example.org', reference: 'imap.example.org', match: true
    },
    { name: 'RFC 6125 §6.4.3: * never matches two labels', presented: '*.example.org', reference: 'a.imap.example.org', match: false },
    {
      name: 'RFC 6125 §6.4.3: * never matches an empty label (the domain itself)',
      presented: '*.example.org', reference: 'example.org', match: false
    },
    { name: 'RFC 6125 §6.4.3: * only as the left-most label', presented: 'imap.*.org', reference: 'imap.example.org', match: false },
    {
      name: 'RFC 6125 §6.4.3: a partial-label wildcard is not honoured',
      presented: 'im*.example.org', reference: 'imap.example.org', match: false
    },
    {
      name: 'RFC 6125 §7.2: a wildcard over a single label (*.org) matches nothing',
      presented: '*.org', reference: 'example.org', match: false
    },
    {
      name: 'RFC 6125 §6.4.3: no wildcard over an A-label',
      presented: '*.example.org', reference: 'xn--bcher-kva.example.org', match: false
    },
    {
      name: 'RFC 6125 §6.4.2: A-labels compare as ASCII',
      presented: 'xn--bcher-kva.example.org', reference: 'XN--BCHER-KVA.example.org', match: true
    },
    { name: 'RFC 6125 §6.4.1: an empty presented name matches nothing', presented: '', reference: 'example.org', match: false },
  ])('$name', ({ presented, reference, match }) => expect(matchesDnsId(presented, reference)).toBe(match));
});

describe('RFC 6125 §6.5.1 / RFC 4985 §2: SRV-ID matching', () => {
  test.each([
    {
      name: 'RFC 4985 §2: _service.domain for this very service matches',
      presented: '_imaps.example.org', service: 'imaps', domain: 'example.org', match: true
    },
    {
      name: 'RFC 6125 §6.5.1: case does not matter',
      presented: '_IMAPS.Example.Org', service: 'imaps', domain: 'example.org', match: true
    },
    {
      name: 'RFC 7817 §3: another service does not match (imap is not imaps)',
      presented: '_imap.example.org', service: 'imaps', domain: 'example.org', match: false
    },
    {
      name: 'RFC 6125 §6.5.1: another domain does not match',
      presented: '_imaps.example.net', service: 'imaps', domain: 'example.org', match: false
    },
    {
      name: 'RFC 6125 §6.4.3: no wildcards in an SRV-ID',
      presented: '_imaps.*.org', service: 'imaps', domain: 'example.org', match: false
    },
  ])('$name', ({ presented, service, domain, match }) => expect(matchesSrvId(presented, service, domain)).toBe(match));
});

describe('RFC 6125 §6.2.1 via RFC 6186 §6: target and email domain', () => {
  const names = { dnsNames: ['imap.provider.test', '*.wild.test'], srvNames: ['_submissions.example.org'] };
  test.each([
    {
      name: 'RFC 6125 §6.2.1: the target host is named by a DNS-ID',
      check: () => namesTarget(names, 'imap.provider.test'), expected: true
    },
    { name: 'RFC 6125 §6.2.1: an SRV-ID never names the target', check: () => namesTarget(names, 'example.org'), expected: false },
    {
      name: 'RFC 7817 §3: the email domain is named by an SRV-ID of this service',
      check: () => namesDomain(names, 'example.org', 'submissions'), expected: true
    },
    {
      name: 'RFC 7817 §3: an SRV-ID of another service does not name the domain for IMAP',
      check: () => namesDomain(names, 'example.org', 'imaps'), expected: false
    },
    {
      name: 'RFC 6125 §6.4: a DNS-ID names the domain',
      check: () => namesDomain({ dnsNames: ['example.org'], srvNames: [] }, 'example.org', 'imaps'), expected: true
    },
    {
      name: 'RFC 6125 §6.4.3: a wildcard names a domain one label below',
      check: () => namesDomain(names, 'shop.wild.test', 'imaps'), expected: true
    },
  ])('$name', ({ check, expected }) => expect(check()).toBe(expected));
});
