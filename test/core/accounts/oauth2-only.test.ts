import { describe, expect, test } from 'vitest';
import { oauth2OnlyHosts, offersOnlyOAuth2 } from '../../../src/core/accounts/oauth2-only.ts';
import type { Setting } from '../../../src/core/index.ts';

const setting = (protocol: 'imap' | 'pop3' | 'smtp', auth: string[] | null, hostname = `${protocol}.provider.test`): Setting => ({
  protocol, hostname, port: 993, security: 'tls', label: '_imaps._tcp', priority: 0, weight: 1, usernames: ['a@example.test'],
  verifiedBy: ['certificate'],
  probe: auth === null ? null : { status: 'ok', tlsVersion: 'TLSv1.3', certificate: null, starttls: null, auth, dane: 'absent' },
} as unknown as Setting);

describe('a server that offers only OAuth2 (RFC 7628) cannot take a password', () => {
  test.each([
    { name: 'RFC 4954 §3: SMTP AUTH with only OAUTHBEARER and XOAUTH2', s: setting('smtp', ['OAUTHBEARER', 'XOAUTH2']), only: true },
    { name: 'RFC 4954 §3: SMTP AUTH with PLAIN beside OAUTHBEARER', s: setting('smtp', ['PLAIN', 'OAUTHBEARER']), only: false },
    { name: 'RFC 9051 §6.2.3: IMAP, only AUTH=XOAUTH2 and LOGINDISABLED', s: setting('imap', ['XOAUTH2', 'LOGINDISABLED']), only: true },
    { name: 'RFC 9051 §6.2.3: IMAP without LOGINDISABLED still takes LOGIN', s: setting('imap', ['OAUTHBEARER']), only: false },
    { name: 'RFC 5034 §3: POP3 SASL OAUTHBEARER only, no USER', s: setting('pop3', ['OAUTHBEARER']), only: true },
    { name: 'RFC 2449 §6.3: POP3 with USER takes USER/PASS', s: setting('pop3', ['OAUTHBEARER', 'USER']), only: false },
    { name: 'no mechanisms advertised: nothing is known, nothing is refused', s: setting('smtp', []), only: false },
    { name: 'not probed: nothing is known, nothing is refused', s: setting('smtp', null), only: false },
  ])('$name', ({ s, only }) => {
    expect(offersOnlyOAuth2(s)).toBe(only);
  });

  test('a failed probe is judged by its own reason, not here', () => {
    const s = setting('smtp', ['OAUTHBEARER']);
    expect(offersOnlyOAuth2({ ...s, probe: { ...s.probe!, status: 'failed' } })).toBe(false);
  });

  test('only the hosts the client knows no OAuth2 provider for are named, once each', () => {
    const imap = setting('imap', ['XOAUTH2', 'LOGINDISABLED'], 'imap.known.test');
    const smtp = setting('smtp', ['XOAUTH2'], 'smtp.unknown.test');
    const again = setting('smtp', ['OAUTHBEARER'], 'smtp.unknown.test');
    const password = setting('smtp', ['PLAIN'], 'smtp.password.test');
    const known = (s: { hostname: string }): boolean => s.hostname === 'imap.known.test';
    expect(oauth2OnlyHosts([imap, smtp, again, password], known)).toEqual(['smtp.unknown.test']);
    expect(oauth2OnlyHosts([imap, password], known)).toEqual([]);
  });
});
