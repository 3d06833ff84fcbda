// What an account is created with, decided in the core: exactly the servers the user saw (when
// still published and vouched for, or confirmed), the RFC 6186 §4 username order, and the refusals.
import type { Discovery, Setting } from '../verdict/verdict.ts';
import type { AccountReason } from '../reasons.ts';
import { matchShown, type ShownServer } from './match-shown.ts';

export interface ServerSettings {
  readonly protocol: 'imap' | 'pop3' | 'smtp';
  readonly hostname: string;
  readonly port: number;
  readonly security: 'tls' | 'starttls';
  readonly username: string;
}

export interface AccountPlan {
  readonly address: string;
  readonly incoming: Setting;
  readonly outgoing: Setting;
  /** RFC 6186 §4: the full address first, then the local-part. */
  readonly usernames: readonly string[];
}

/** What the popup showed when the user asked for the account. */
export interface ShownAccount {
  readonly address: string;
  readonly incoming: ShownServer;
  readonly outgoing: ShownServer;
}

export type PlanResult = { ok: true; plan: AccountPlan } | { ok: false; reason: AccountReason };

/** RFC 6186 §6: the shown servers, checked against a fresh `discovery`; `trusted` = the user confirmed them. */
export function planAccount(discovery: Discovery, shown: ShownAccount, trusted: boolean): PlanResult {
  if (discovery.status !== 'found' || discovery.incoming === null || discovery.outgoing === null)
    return { ok: false, reason: 'account-incomplete' };
  if (shown.address !== discovery.address) return { ok: false, reason: 'account-settings-changed' };
  if (shown.incoming.protocol === 'smtp' || shown.outgoing.protocol !== 'smtp') return { ok: false, reason: 'account-bad-settings' };
  const incoming = matchShown(discovery, shown.incoming, trusted);
  if (!incoming.ok) return incoming;
  const outgoing = matchShown(discovery, shown.outgoing, trusted);
  if (!outgoing.ok) return outgoing;
  return {
    ok: true,
    plan: { address: discovery.address, incoming: incoming.setting, outgoing: outgoing.setting, usernames: incoming.setting.usernames },
  };
}

export function serverSettings(setting: Setting, username: string): ServerSettings {
  return { protocol: setting.protocol, hostname: setting.hostname, port: setting.port, security: setting.security, username };
}

/** RFC 6186 §4: try the usernames in order; the first that logs in wins, or none does. */
export async function chooseLogin(usernames: readonly string[], logsIn: (username: string) => Promise<boolean>): Promise<string | null> {
  for (const username of usernames) {
    if (await logsIn(username)) return username;
  }
  return null;
}
