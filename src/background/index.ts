// Background entry: builds the platform and registers every listener at top level (MV3 wake-up).
import type { Runtime } from 'webextension-polyfill';
import { browser } from '../browser-api.ts';
import { isRequest, SETTINGS_KEY } from '../protocol.ts';
import { createHandler } from './handle-message.ts';
import { browserPlatform } from './platform.ts';
import { thunderbirdGlue } from './thunderbird-glue.ts';
import { setToolbarBadge } from './toolbar-badge.ts';

const thunderbird = thunderbirdGlue(browser);
const platform = browserPlatform(browser, thunderbird.connect);
const settingsArea = browser.storage.sync ?? browser.storage.local;
const settings = async (): Promise<unknown> => (await settingsArea.get(SETTINGS_KEY))[SETTINGS_KEY];

const handle = createHandler({
  platform: { ...platform, storage: platform.storage! },
  settings,
  allKeys: async () => Object.keys(await browser.storage.local.get(null)),
  showBadge: (response) => setToolbarBadge(browser, response.ok ? response.discovery.badge.level : 'none'),
  showLevel: (level) => setToolbarBadge(browser, level),
  defaultAddress: thunderbird.defaultAddress,
  accounts: thunderbird.accounts,
  // Each step of creating an account, to the popup (none open: nobody to tell).
  progress: (progress) => void browser.runtime.sendMessage({ type: 'createProgress', progress }).catch(() => undefined),
  knowsOAuth2: thunderbird.knowsOAuth2,
});

// Synchronous listener that answers with a promise only for requests it knows (the polyfill makes
// that work in Chromium too); a bug in a handler crosses as {failure}, never as a thrown string.
const answer = (message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined => {
  if (sender.id !== browser.runtime.id || !isRequest(message)) return undefined;
  return handle(message).catch((error: unknown) => ({ failure: String(error) }));
};
browser.runtime.onMessage.addListener(answer as Runtime.OnMessageListenerAsync);

thunderbird.listen({
  handle,
  platform,
  settings,
  onSettingsChanged: (listener) => browser.storage.onChanged.addListener((changes) => {
    if (SETTINGS_KEY in changes) listener();
  }),
});
