// The Thunderbird Experiment (src/experiments/accounts) as a typed value; null outside Thunderbird.
import type { ServerSettings } from '../core/index.ts';
import type { Browser } from '../browser-api.ts';

export interface ExistingAccount {
  readonly accountId: string;
  readonly address: string;
  readonly incoming: Omit<ServerSettings, 'security'> & { readonly security: 'tls' | 'starttls' | 'plain' };
  readonly outgoing: (Omit<ServerSettings, 'security'> & { readonly security: 'tls' | 'starttls' | 'plain' }) | null;
}

export interface AccountsExperiment {
  create(account: {
    address: string;
    displayName?: string;
    incoming: ServerSettings;
    outgoing: ServerSettings;
    password?: string;
    rememberPassword?: boolean;
  }): Promise<{ ok: true; accountId: string } | { ok: false; reason: 'account-exists' | 'account-bad-settings' }>;
  /** Whether an identity already has this address: asked before any login probe. */
  hasAccount(address: string): Promise<boolean>;
  /**
   * One login with Thunderbird's ConfigVerifier on a throwaway server; false when it fails, when the server does not
   * answer within `timeoutMs` (default 20 s), on cancelLogins(), or when an account already uses this server and
   * username. IMAP sends one LOGIN command, unless `allMethods` (the server advertised LOGINDISABLED).
   */
  verifyLogin(server: ServerSettings, password: string, timeoutMs?: number, allMethods?: boolean): Promise<boolean>;
  /** Stops every login check under way: the user cancelled. */
  cancelLogins(): Promise<void>;
  /** Whether Thunderbird signs in to this server with OAuth2 (its own provider list): then no password is checked. */
  usesOAuth2(server: Omit<ServerSettings, 'username'>): Promise<boolean>;
  list(): Promise<ExistingAccount[]>;
  /** An SMTP server another identity also uses is left alone: this account's identity gets its own. */
  update(accountId: string, servers: { incoming?: Omit<ServerSettings, 'username'>; outgoing?: Omit<ServerSettings, 'username'> }): Promise<
    { ok: true } | { ok: false; reason: 'account-bad-settings' | 'account-exists' | 'account-nothing-to-update' }
  >;
}

export function accountsExperiment(browser: Browser): AccountsExperiment | null {
  return browser.srvAutoconfigAccounts ?? null;
}
