// Background entry: builds the platform and registers every listener at top level (MV3 wake-up).
import { isRequest, SETTINGS_KEY } from '../protocol.ts';
import { accountsExperiment } from './accounts-experiment.ts';
import { browser } from './browser.ts';
import { defaultAddress } from './default-address.ts';
import { createHandler } from './handle-message.ts';
import { browserPlatform } from './platform.ts';
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
});

// Synchronous listener that claims only requests it knows; sendResponse + `true` is the form every
// target honours (Chromium before promise-returning listeners included).
browser.runtime.onMessage.addListener(((message: unknown, sender: { id?: string }, sendResponse: (response: unknown) => void) => {
  if (sender.id !== browser.runtime.id || !isRequest(message)) return false;
  handle(message).then(sendResponse, (error: unknown) => sendResponse({ failure: String(error) }));
  return true;
}) as unknown as Parameters<typeof browser.runtime.onMessage.addListener>[0]);

// Thunderbird: an account created by any means is checked the same way and sets the toolbar badge.
// The event can fire before Thunderbird has attached the identity: look again a few times.
const RETRY_MS = 200;
const RETRIES = 15;
const checkCreated = (accountId: string, left: number): void => {
  void handle({ type: 'accountCreated', accountId }).then((report) => {
    if (report === null && left > 0) setTimeout(() => checkCreated(accountId, left - 1), RETRY_MS);
  });
};
(browser as unknown as { accounts?: { onCreated?: { addListener(fn: (id: string) => void): void } } }).accounts?.onCreated?.addListener((accountId) => checkCreated(accountId, RETRIES));
