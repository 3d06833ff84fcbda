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
  verifyLogin(server: ServerSettings, password: string): Promise<boolean>;
  list(): Promise<ExistingAccount[]>;
  update(accountId: string, servers: { incoming?: Omit<ServerSettings, 'username'>; outgoing?: Omit<ServerSettings, 'username'> }): Promise<{ ok: boolean }>;
}

export function accountsExperiment(browser: Browser): AccountsExperiment | null {
  return (browser as unknown as { srvAutoconfigAccounts?: AccountsExperiment }).srvAutoconfigAccounts ?? null;
}
