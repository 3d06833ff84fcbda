// Background entry: builds the platform and registers every listener at top level (MV3 wake-up).
import { readSettings } from '../core/index.ts';
import { parseUrl } from '../parse-url.ts';
import { isRequest, SETTINGS_KEY } from '../protocol.ts';
import { accountsExperiment } from './accounts-experiment.ts';
import type { Runtime } from 'webextension-polyfill';
import { browser } from '../browser-api.ts';
import { defaultAddress } from './default-address.ts';
import { lazyProbeGlue } from './probe-experiment.ts';
import { createHandler } from './handle-message.ts';
import { browserPlatform } from './platform.ts';
import { setupExperiment } from './setup-experiment.ts';
import { setToolbarBadge } from './toolbar-badge.ts';

const platform = browserPlatform(browser);
const settingsArea = browser.storage.sync ?? browser.storage.local;

const handle = createHandler({
  platform: { ...platform, storage: platform.storage! },
  settings: async () => (await settingsArea.get(SETTINGS_KEY))[SETTINGS_KEY],
  allKeys: async () => Object.keys(await browser.storage.local.get(null)),
  showBadge: (response) => setToolbarBadge(browser, response.ok ? response.discovery.badge.level : 'none'),
  showLevel: (level) => setToolbarBadge(browser, level),
  defaultAddress: () => defaultAddress(browser),
  accounts: accountsExperiment(browser),
  // Each step of creating an account, to the popup (none open: nobody to tell).
  progress: (progress) => void browser.runtime.sendMessage({ type: 'createProgress', progress }).catch(() => undefined),
  knowsOAuth2: lazyProbeGlue(browser).knowsOAuth2,
});

// Synchronous listener that answers with a promise only for requests it knows (the polyfill makes
// that work in Chromium too); a bug in a handler crosses as {failure}, never as a thrown string.
const answer = (message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined => {
  if (sender.id !== browser.runtime.id || !isRequest(message)) return undefined;
  return handle(message).catch((error: unknown) => ({ failure: String(error) }));
};
browser.runtime.onMessage.addListener(answer as Runtime.OnMessageListenerAsync);

// Thunderbird: an account created by any means is checked the same way and sets the toolbar badge.
// The event can fire before Thunderbird has attached the identity: look again a few times.
const RETRY_MS = 200;
const RETRIES = 15;
const checkCreated = (accountId: string, left: number): void => {
  void handle({ type: 'accountCreated', accountId }).then((report) => {
    if (report === null && left > 0) setTimeout(() => checkCreated(accountId, left - 1), RETRY_MS);
  });
};
browser.accounts?.onCreated?.addListener((accountId) => checkCreated(accountId, RETRIES));

// Thunderbird's own account set-up asks the add-on too while the options switch is on (README).
const setup = setupExperiment(browser);
if (setup !== null) {
  const settings = async () => readSettings((await settingsArea.get(SETTINGS_KEY))[SETTINGS_KEY], parseUrl);
  // Registered now (an event page's listeners must be), loaded on the first question.
  setup.onDiscover.addListener(async (address) => (await import('./answer-setup.ts')).answerSetup({ platform, settings })(address));
  const follow = async (): Promise<void> => {
    await setup.setActive((await settings()).useInAccountSetup);
  };
  void follow();
  browser.storage.onChanged.addListener((changes) => {
    if (SETTINGS_KEY in changes) void follow();
  });
}
