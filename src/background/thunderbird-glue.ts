// What the background takes from Thunderbird: its Experiments (accounts, the probe's sockets, its own account set-up),
// its default identity and its account events. Firefox has none of them and gets nulls; Chromium's service worker
// takes thunderbird-glue.service-worker.ts instead, which holds none of this code (docs/performance.md#bundle-sizes).
import type { Connect } from '../core/probe/connection.ts';
import { readSettings, type Platform, type ServerRef } from '../core/index.ts';
import { parseUrl } from '../parse-url.ts';
import type { Browser } from '../browser-api.ts';
import { accountsExperiment, type AccountsExperiment } from './accounts-experiment.ts';
import { defaultAddress } from './default-address.ts';
import type { Handler } from './handle-message.ts';
import { lazyProbeGlue } from './probe-experiment.ts';
import { setupExperiment } from './setup-experiment.ts';
import { loadAnswerSetup } from './thunderbird-parts.ts';

export interface ThunderbirdGlue {
  /** Thunderbird's account Experiment; null elsewhere. */
  readonly accounts: AccountsExperiment | null;
  /** Platform.connect through the probe Experiment; absent elsewhere. */
  readonly connect?: Connect;
  /** Whether Thunderbird's OAuth2 registry knows a server's host; absent elsewhere. */
  readonly knowsOAuth2?: (server: ServerRef) => Promise<boolean>;
  /** The default identity's address, to fill the popup's field; null without mail accounts. */
  readonly defaultAddress: () => Promise<string | null>;
  /** Registers the listeners of Thunderbird's events: at the top level of the background, as an event page's must be. */
  readonly listen: (background: Background) => void;
}

export interface Background {
  readonly handle: Handler;
  readonly platform: Platform;
  /** Where the options page keeps the settings (storage.sync where there is one). */
  readonly settings: () => Promise<unknown>;
  readonly onSettingsChanged: (listener: () => void) => void;
}

// An account created by any means is checked the same way and sets the toolbar badge. The event can fire before
// Thunderbird has attached the identity: look again a few times.
const RETRY_MS = 200;
const RETRIES = 15;

export function thunderbirdGlue(browser: Browser): ThunderbirdGlue {
  const probe = lazyProbeGlue(browser);
  return {
    accounts: accountsExperiment(browser),
    ...probe,
    defaultAddress: () => defaultAddress(browser),
    listen: ({ handle, platform, settings, onSettingsChanged }) => {
      const checkCreated = (accountId: string, left: number): void => {
        void handle({ type: 'accountCreated', accountId }).then((report) => {
          if (report === null && left > 0) setTimeout(() => checkCreated(accountId, left - 1), RETRY_MS);
        });
      };
      browser.accounts?.onCreated?.addListener((accountId) => checkCreated(accountId, RETRIES));

      // Thunderbird's own account set-up asks the add-on too while the options switch is on (README).
      const setup = setupExperiment(browser);
      if (setup === null) return;
      const read = async () => readSettings(await settings(), parseUrl);
      // Registered now, loaded on the first question.
      setup.onDiscover.addListener(async (address) => (await loadAnswerSetup()).answerSetup({ platform, settings: read })(address));
      const follow = async (): Promise<void> => {
        await setup.setActive((await read()).useInAccountSetup);
      };
      void follow();
      onSettingsChanged(() => void follow());
    },
  };
}
