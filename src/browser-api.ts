// The one module that imports webextension-polyfill: the `browser` API of background, popup and
// options. The polyfill hands back the native promise-based `browser` where there is one (Gecko,
// Chromium ≥ 146) and wraps `chrome` elsewhere. Thunderbird's own namespaces are typed here too.
import polyfill, { type Browser as WebExtensionBrowser } from 'webextension-polyfill';
import type { AccountsExperiment } from './background/accounts-experiment.ts';
import type { ProbeExperiment } from './background/probe-experiment.ts';
import type { SetupExperiment } from './background/setup-experiment.ts';

/**
 * Thunderbird's MailExtension namespaces the add-on uses (permission accountsRead) and its own three Experiments
 * (each src/experiments/<name>/schema.json, typed where the background calls it); absent elsewhere.
 */
export interface MailExtensionApi {
  readonly accounts?: {
    getDefault(): Promise<{ identities?: { email?: string }[] } | null>;
    readonly onCreated?: { addListener(listener: (accountId: string) => void): void };
  };
  readonly srvAutoconfigAccounts?: AccountsExperiment;
  readonly srvAutoconfigProbe?: ProbeExperiment;
  readonly srvAutoconfigSetup?: SetupExperiment;
}

export type Browser = WebExtensionBrowser & MailExtensionApi;

export const browser: Browser = polyfill as Browser;
