// A server whose probe read only OAuth2 SASL mechanisms (RFC 7628 OAUTHBEARER, XOAUTH2) and no password method: a
// password prompt for it cannot work unless the client knows the host's OAuth2 provider.
import type { Setting } from '../verdict/verdict.ts';
import type { ServerRef } from './match-shown.ts';

const OAUTH2_MECHANISMS = new Set(['OAUTHBEARER', 'XOAUTH2']);
// Not SASL mechanisms: the probe lists them beside the mechanisms (IMAP LOGINDISABLED, POP3 USER).
const COMMANDS = new Set(['LOGINDISABLED', 'USER']);

/** True only when the probe read the mechanisms and every one of them is OAuth2. */
export function offersOnlyOAuth2(setting: Setting): boolean {
  const probe = setting.probe;
  if (probe === null || probe.status !== 'ok') return false;
  const sasl = probe.auth.filter((m) => !COMMANDS.has(m));
  if (sasl.length === 0 || !sasl.every((m) => OAUTH2_MECHANISMS.has(m))) return false;
  switch (setting.protocol) {
    case 'imap': return probe.auth.includes('LOGINDISABLED'); // RFC 9051 §6.2.3: LOGIN takes a password unless disabled
    case 'pop3': return !probe.auth.includes('USER'); // RFC 2449 §6.3: USER/PASS
    case 'smtp': return true; // RFC 4954 §3: AUTH is the only way to sign in
  }
}

/** Hosts among `settings` that offer only OAuth2 and whose OAuth2 provider the client does not know. */
export function oauth2OnlyHosts(settings: readonly Setting[], knowsOAuth2: (server: ServerRef) => boolean): string[] {
  const hosts = settings.filter((s) => offersOnlyOAuth2(s) && !knowsOAuth2(s)).map((s) => s.hostname as string);
  return [...new Set(hosts)];
}
