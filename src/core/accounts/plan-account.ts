// What an account is created with, decided in the core: the chosen settings, the RFC 6186 §4
// username order, and the refusals (unconfirmed out-of-domain targets, missing services).
import type { Discovery, Setting } from '../discovery/discover.ts';
import type { AccountReason } from '../reasons.ts';

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

export type PlanResult = { ok: true; plan: AccountPlan } | { ok: false; reason: AccountReason };

/** RFC 6186 §6: an `unverified` result is used only once the user confirmed it. */
export function planAccount(discovery: Discovery, confirmed: boolean): PlanResult {
  const { incoming, outgoing } = discovery;
  if (discovery.status !== 'found' || incoming === null || outgoing === null) return { ok: false, reason: 'account-incomplete' };
  if (discovery.badge.level === 'unverified' && !confirmed) return { ok: false, reason: 'account-unverified' };
  return { ok: true, plan: { address: discovery.address, incoming, outgoing, usernames: incoming.usernames } };
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
