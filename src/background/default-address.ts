// Thunderbird only: the default identity's address, to prefill the popup (permission accountsRead).
import type { Browser } from './browser.ts';

interface MailAccounts {
  getDefault(): Promise<{ identities?: { email?: string }[] } | null>;
}

export async function defaultAddress(browser: Browser): Promise<string | null> {
  const accounts = (browser as unknown as { accounts?: MailAccounts }).accounts;
  if (accounts?.getDefault === undefined) return null; // Firefox, Chromium: no mail accounts
  try {
    const account = await accounts.getDefault();
    return account?.identities?.find((i) => typeof i.email === 'string' && i.email !== '')?.email ?? null;
  } catch {
    return null;
  }
}
