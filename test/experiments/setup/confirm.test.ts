// The setup Experiment's own trust check (src/experiments/setup/implementation.js), run in Node as Thunderbird runs the
// file: every offered host must be named by the background as vouched for or to be confirmed (docs/trust.md).
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';

type Offer = Record<string, unknown>;
const scope: { serversToConfirm?: (offer: Offer) => string[] | null; ExtensionCommon: unknown } = {
  ExtensionCommon: { ExtensionAPIPersistent: class {} },
};
runInNewContext(readFileSync('src/experiments/setup/implementation.js', 'utf8'), scope);
const serversToConfirm = scope.serversToConfirm!;

const server = (protocol: string, hostname: string, port: number) => ({ protocol, hostname, port, security: 'tls' });
const offer = (lists: { unverifiedHosts: string[]; vouchedHosts: string[] }): Offer => ({
  incoming: server('imap', 'imap.provider.test', 993),
  outgoing: server('smtp', 'smtp.provider.test', 465),
  incomingAlternatives: [server('pop3', 'pop.provider.test', 995)],
  outgoingAlternatives: [],
  ...lists,
});

describe('RFC 6186 §6: what Thunderbird\'s account set-up asks the user to confirm', () => {
  test('each unverified server, with its port', () => {
    const hosts = ['imap.provider.test', 'smtp.provider.test', 'pop.provider.test'];
    expect(serversToConfirm(offer({ unverifiedHosts: hosts, vouchedHosts: [] })))
      .toEqual(['imap.provider.test:993', 'smtp.provider.test:465', 'pop.provider.test:995']);
  });

  test('nothing when every server is vouched for', () => {
    const hosts = ['imap.provider.test', 'smtp.provider.test', 'pop.provider.test'];
    expect(serversToConfirm(offer({ unverifiedHosts: [], vouchedHosts: hosts }))).toEqual([]);
  });

  test('an offer naming a host neither vouched for nor to confirm is not used (a background bug never skips the question)', () => {
    expect(serversToConfirm(offer({ unverifiedHosts: [], vouchedHosts: ['imap.provider.test', 'smtp.provider.test'] }))).toBeNull();
    expect(serversToConfirm(offer({ unverifiedHosts: [], vouchedHosts: [] }))).toBeNull();
  });
});
