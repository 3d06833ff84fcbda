import { describe, expect, test } from 'vitest';
import { setupOffer } from '../../src/core/accounts/setup-offer.ts';
import { srv } from '../support/fake-resolver.ts';
import { discoverIn } from '../support/discovery.ts';

const D = 'example.test';

describe("setupOffer: what Thunderbird's own account set-up is handed", () => {
  test('RFC 6186 §6: in-domain servers go straight through, with RFC 6186 §4 login names and the alternatives', async () => {
    const offer = setupOffer(await discoverIn([
      srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`),
      srv(`_imap._tcp.${D}`, 0, 1, 143, `imap.${D}`),
      srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`),
      srv(`_submission._tcp.${D}`, 0, 1, 587, `smtp.${D}`),
    ], 'alice@example.test', { ad: false }));
    expect(offer).toEqual({
      address: 'alice@example.test',
      usernames: ['alice@example.test', 'alice'],
      incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' },
      outgoing: { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls' },
      incomingAlternatives: [{ protocol: 'imap', hostname: `imap.${D}`, port: 143, security: 'starttls' }],
      outgoingAlternatives: [{ protocol: 'smtp', hostname: `smtp.${D}`, port: 587, security: 'starttls' }],
      unverifiedHosts: [],
      vouchedHosts: [`imap.${D}`, `smtp.${D}`],
      oauth2OnlyHosts: [],
    });
  });

  test('RFC 6186 §6: unsigned targets outside the domain are named for the user, every one of them', async () => {
    const records = [
      srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.provider.test'),
      srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.provider.test'),
      srv(`_pop3s._tcp.${D}`, 5, 1, 995, 'pop.other.test'),
    ];
    const unsigned = setupOffer(await discoverIn(records, 'a@example.test', { ad: false }));
    expect(unsigned?.unverifiedHosts).toEqual(['imap.provider.test', 'smtp.provider.test', 'pop.other.test']);
    expect(unsigned?.vouchedHosts).toEqual([]);
    // DNSSEC vouches for them (docs/trust.md): nothing to confirm, each named as vouched for.
    const signed = setupOffer(await discoverIn(records, 'a@example.test', { ad: true }));
    expect(signed?.unverifiedHosts).toEqual([]);
    expect(signed?.vouchedHosts).toEqual(['imap.provider.test', 'smtp.provider.test', 'pop.other.test']);
  });

  test('nothing to hand over without both an incoming and an outgoing server', async () => {
    expect(setupOffer(await discoverIn([srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`)], 'a@example.test'))).toBeNull();
    expect(setupOffer(await discoverIn([], 'a@example.test'))).toBeNull();
  });

  test('RFC 7628: a server whose probe read only OAuth2 mechanisms is named, so Thunderbird never asks a password for it', async () => {
    const found = await discoverIn([
      srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`),
      srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`),
    ], 'alice@example.test');
    const probe = (auth: string[]) =>
      ({ status: 'ok' as const, tlsVersion: 'TLSv1.3', certificate: null, starttls: null, auth, dane: 'absent' as const });
    const offer = setupOffer({
      ...found,
      incoming: { ...found.incoming!, probe: probe(['PLAIN']) },
      outgoing: { ...found.outgoing!, probe: probe(['OAUTHBEARER', 'XOAUTH2']) },
    });
    expect(offer?.oauth2OnlyHosts).toEqual([`smtp.${D}`]);
  });
});
