// Thunderbird only: the default identity's address, to prefill the popup (permission accountsRead).
import type { Browser } from '../browser-api.ts';

export async function defaultAddress(browser: Browser): Promise<string | null> {
  const accounts = browser.accounts;
  if (accounts?.getDefault === undefined) return null; // Firefox, Chromium: no mail accounts
  try {
    const account = await accounts.getDefault();
    return account?.identities?.find((i) => typeof i.email === 'string' && i.email !== '')?.email ?? null;
  } catch {
    return null;
  }
}
