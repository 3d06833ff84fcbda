// The add-on inside Thunderbird, timed through Marionette's chrome context. Its toolbar popup cannot be used here:
// in headless Thunderbird action.openPopup() opens the panel but its browser stays at about:blank. So the popup page is
// opened as a content tab (as test/e2e/thunderbird.test.ts does): the same page, the same background, Thunderbird's fetch.
import { PAGE_HELPERS } from '../test/support/thunderbird-pages.ts';
import type { RunningThunderbird } from '../test/support/thunderbird.ts';

/** One opening of the popup page: open → cached settings shown and popup:start → shown, or click → settings on screen. */
export interface PopupRun {
  readonly open: number;
  readonly script: number;
  readonly click: number;
  /** Click → the verdict on screen (the probe, MTA-STS, TLS-RPT and DANE checked). */
  readonly final: number;
  readonly error?: string;
}

/** Points the add-on at the bench's resolver (its options page, as a user would). */
export async function useResolver(tb: RunningThunderbird, doh: string): Promise<void> {
  const result = await tb.marionette.executeAsync<{ error?: string }>(`
    const [id, doh, done] = arguments;
    ${PAGE_HELPERS}
    (async () => {
      const options = await openPage(id, 'popup/options.html');
      const d = options.doc;
      await until(() => d.querySelectorAll('input[name="choice"]').length === 4 && d.getElementById('timeout').value !== '', 'the options');
      d.getElementById('choice-custom').click();
      d.getElementById('custom-url').value = doh;
      if (d.getElementById('fallback').checked) d.getElementById('fallback').click();
      d.getElementById('save').click();
      await until(() => d.getElementById('saved').textContent !== '', 'settings saved');
      options.close();
      done({});
    })().catch((e) => done({ error: String(e) }));
  `, [tb.addonId, doh]);
  if (result.error !== undefined) throw new Error(`Thunderbird options: ${result.error}`);
}

/**
 * Opens the popup page. With `address`: wait `typingMs` (the preconnect runs), type it and click Autoconfigure, timing the
 * click to the frame that shows the settings. Without: time the page's opening to the cached result shown (epoch times on
 * both sides: the page is in Thunderbird's parent process with extensions.webextensions.remote=false).
 */
export async function openPopupPage(tb: RunningThunderbird, options: { address?: string; typingMs?: number }): Promise<PopupRun> {
  const run = await tb.marionette.executeAsync<PopupRun>(`
    const [id, address, typingMs, done] = arguments;
    ${PAGE_HELPERS}
    (async () => {
      const policy = await until(() => WebExtensionPolicy.getByID(id), 'the add-on');
      const win = await until(() => Services.wm.getMostRecentWindow('mail:3pane'), 'the main window');
      const asked = win.performance.timeOrigin + win.performance.now();
      const tab = win.gTabmail.openTab('contentTab', { url: policy.getURL('popup/popup.html') });
      const ready = () => tab.browser.contentDocument?.getElementById('go')?.textContent ? tab.browser.contentDocument : null;
      const doc = await until(ready, 'the popup');
      const view = doc.defaultView;
      const mark = (name) => view.performance.getEntriesByName(name)[0]?.startTime;
      if (!address) {
        await until(() => mark('popup:shown') !== undefined, 'popup:shown', 5000);
        win.gTabmail.closeTab(tab);
        const open = view.performance.timeOrigin + mark('popup:shown') - asked;
        done({ open, script: mark('popup:shown') - mark('popup:start'), click: NaN, final: NaN });
        return;
      }
      await sleep(typingMs);
      const settings = doc.getElementById('settings');
      const shown = new Promise((resolve) => {
        new view.MutationObserver((_, observer) => {
          if (settings.childElementCount === 0) return;
          observer.disconnect();
          view.requestAnimationFrame(() => view.setTimeout(() => resolve(view.performance.now())));
        }).observe(settings, { childList: true, subtree: true });
      });
      doc.getElementById('address').value = address;
      const clicked = view.performance.now();
      doc.getElementById('go').click();
      const click = (await shown) - clicked;
      // The verdict: the popup's result is busy until it is in.
      const result = doc.getElementById('result');
      await until(() => !result.hasAttribute('aria-busy'), 'the verdict', 20000);
      const final = await new Promise((resolve) =>
        view.requestAnimationFrame(() => view.setTimeout(() => resolve(view.performance.now()))));
      win.gTabmail.closeTab(tab);
      done({ open: NaN, script: NaN, click, final: final - clicked });
    })().catch((e) => done({ open: NaN, script: NaN, click: NaN, final: NaN, error: String(e) + ' ' + trace.join(' | ') }));
  `, [tb.addonId, options.address ?? '', options.typingMs ?? 0]);
  if (run.error !== undefined) throw new Error(`Thunderbird popup page: ${run.error}`);
  return run;
}

/** Empties the add-on's cache (settings, MTA-STS policies, the last result) through its own message. */
export async function clearAddonCache(tb: RunningThunderbird): Promise<void> {
  await tb.marionette.executeAsync(`
    const [id, done] = arguments;
    ${PAGE_HELPERS}
    (async () => {
      const page = await openPage(id, 'popup/options.html');
      const view = page.doc.defaultView;
      await view.wrappedJSObject.browser.runtime.sendMessage(Cu.cloneInto({ type: 'clearCache' }, view));
      page.close();
      done(true);
    })().catch((e) => done(String(e)));
  `, [tb.addonId]);
}
