// The one module that imports webextension-polyfill: the `browser` API of background, popup and
// options. The polyfill hands back the native promise-based `browser` where there is one (Gecko,
// Chromium ≥ 146) and wraps `chrome` elsewhere. Thunderbird's own namespaces are typed here too.
import polyfill, { type Browser as WebExtensionBrowser } from 'webextension-polyfill';

/** Thunderbird's MailExtension namespaces the add-on uses (permission accountsRead), absent elsewhere. */
export interface MailExtensionApi {
  readonly accounts?: {
    getDefault(): Promise<{ identities?: { email?: string }[] } | null>;
    readonly onCreated?: { addListener(listener: (accountId: string) => void): void };
  };
}

export type Browser = WebExtensionBrowser & MailExtensionApi;

export const browser: Browser = polyfill as Browser;
