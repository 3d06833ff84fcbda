// Driving the add-on inside a running Thunderbird (test/support/thunderbird.ts) from Marionette's chrome
// context: its pages, its Experiment and what Thunderbird stored, read back from the account manager.
import type { RunningThunderbird } from './thunderbird.ts';

// Chrome-context helpers for the scripts below: open an extension page in a content tab and wait for a
// condition on its document (extensions.webextensions.remote=false keeps it in-process).
export const PAGE_HELPERS = `
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const trace = [];
  async function until(check, what, ms = 15000) {
    const end = Date.now() + ms;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > end) throw new Error('timed out waiting for ' + what + ': ' + trace.join(' | '));
      await sleep(50);
    }
  }
  async function openPage(id, path) {
    const policy = await until(() => WebExtensionPolicy.getByID(id), 'the add-on to start');
    const win = await until(() => Services.wm.getMostRecentWindow('mail:3pane'), 'the main window');
    await until(() => win.gTabmail, 'tabmail');
    // A fresh profile greets the user with the account hub, a modal over everything: dismiss it.
    const hub = win.document.querySelector('account-hub-container');
    if (hub && hub.modal && hub.modal.open) hub.modal.close();
    const tab = win.gTabmail.openTab('contentTab', { url: policy.getURL(path) });
    const doc = await until(() => {
      const d = tab.browser.contentDocument;
      return d && d.readyState === 'complete' && d.body && d.body.childElementCount > 0 ? d : null;
    }, path);
    return { tab, doc, close: () => win.gTabmail.closeTab(tab) };
  }
`;

export type ExperimentAnswer = { value: unknown } | { error: string };

/**
 * Calls one method of the Experiment with JSON arguments. `via: 'page'` goes through an extension page, as the
 * add-on does (the schema checks the arguments first); `via: 'implementation'` calls the parent-side object
 * directly, so only the implementation's own checks stand between the arguments and the account manager.
 */
export function callExperiment(
  tb: RunningThunderbird, method: string, args: unknown[], via: 'page' | 'implementation',
): Promise<ExperimentAnswer> {
  return tb.marionette.executeAsync<ExperimentAnswer>(`
    const [id, method, argsJson, via, done] = arguments;
    ${PAGE_HELPERS}
    (async () => {
      let result;
      if (via === 'implementation') {
        const extension = WebExtensionPolicy.getByID(id).extension;
        const api = await extension.experimentAPIManager.asyncGetAPI('srvAutoconfigAccounts', extension, 'addon_parent');
        result = await api.getAPI({}).srvAutoconfigAccounts[method](...JSON.parse(argsJson));
      } else {
        const page = await openPage(id, 'popup/options.html');
        const win = page.doc.defaultView.wrappedJSObject;
        try {
          result = await win.browser.srvAutoconfigAccounts[method](...win.JSON.parse(argsJson));
        } finally {
          page.close();
        }
      }
      done({ value: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
    })().catch((e) => done({ error: String(e && e.message ? e.message : e) }));
  `, [tb.addonId, method, JSON.stringify(args), via]);
}

/** Every account, server and identity pref Thunderbird keeps: what "nothing was written" is checked against. */
export function mailPrefs(tb: RunningThunderbird): Promise<Record<string, unknown>> {
  return tb.marionette.executeAsync(`
    const [done] = arguments;
    const roots = ['mail.server.', 'mail.smtpserver.', 'mail.smtpservers', 'mail.outgoingserver.', 'mail.outgoingservers', 'mail.identity.',
      'mail.account.', 'mail.accountmanager.'];
    const out = {};
    for (const root of roots) {
      // Thunderbird clears canChangeStoreType by itself once a server's folders exist: not a write of ours.
      for (const name of Services.prefs.getChildList(root).filter((n) => !n.endsWith('.canChangeStoreType'))) {
        const type = Services.prefs.getPrefType(name);
        out[name] = type === Services.prefs.PREF_STRING ? Services.prefs.getStringPref(name)
          : type === Services.prefs.PREF_INT ? Services.prefs.getIntPref(name) : Services.prefs.getBoolPref(name);
      }
    }
    done(out);
  `);
}

/** Points the add-on at the test resolver through its options page, as a user would. */
export async function useResolver(tb: RunningThunderbird, dohUrl: string): Promise<string> {
  return tb.marionette.executeAsync<string>(`
    const [id, doh, done] = arguments;
    ${PAGE_HELPERS}
    (async () => {
      const options = await openPage(id, 'popup/options.html');
      const d = options.doc;
      await until(() => d.querySelectorAll('input[name="choice"]').length === 4 && d.getElementById('timeout').value !== '',
        'the stored options to load');
      d.getElementById('choice-custom').click();
      d.getElementById('custom-url').value = doh;
      const fallback = d.getElementById('fallback');
      if (fallback.checked) fallback.click();
      d.getElementById('save').click();
      await until(() => d.getElementById('saved').textContent !== '', 'settings saved');
      options.close();
      done('saved');
    })().catch((e) => done('script error: ' + e));
  `, [tb.addonId, dohUrl]);
}

/**
 * Autoconfigures `address` in the popup and presses "Create account"; returns what the popup says: the final status,
 * every text the status line showed on the way (`steps`), and why a disabled button is disabled. `cancelWhen`: press
 * Cancel as soon as the status line contains this text.
 */
export function createThroughPopup(
  tb: RunningThunderbird, address: string, { trust = false, password = '', remember = false, cancelWhen = '' } = {},
) {
  return tb.marionette.executeAsync<{
    status: string; buttonDisabled: boolean; steps: string[]; elapsedMs: number[]; why: string; describedBy: string | null;
  }>(`
    const [id, address, trust, password, remember, cancelWhen, done] = arguments;
    ${PAGE_HELPERS}
    (async () => {
      const popup = await openPage(id, 'popup/popup.html');
      const p = popup.doc;
      await until(() => p.getElementById('go').textContent !== '', 'the popup to localise');
      // The popup opens on the previous result: wait for this address's own.
      p.getElementById('address').value = address;
      p.getElementById('go').click();
      const domain = address.split('@')[1];
      // Done when the lookup is (aria-busy goes when its result is shown; the last result, read at opening, may come first).
      await until(() => !p.getElementById('result').hasAttribute('aria-busy') && p.getElementById('status').textContent.includes(domain)
        && p.querySelector('#badge .badge') && !p.getElementById('create').hidden, 'a result for ' + address);
      if (trust) p.getElementById('trust').click();
      p.getElementById('password').value = password;
      if (remember) p.getElementById('remember').click();
      const button = p.getElementById('create-account');
      const buttonDisabled = button.disabled;
      const why = p.getElementById('create-why').textContent;
      const describedBy = button.getAttribute('aria-describedby');
      const status = p.getElementById('create-status');
      const steps = [];
      // When each text appeared, in ms after the click.
      const elapsedMs = [];
      let clicked = 0;
      // Every text the status line shows, in order, as a screen reader would hear it.
      const observer = new p.defaultView.MutationObserver(() => {
        if (steps.at(-1) !== status.textContent) {
          steps.push(status.textContent);
          elapsedMs.push(Date.now() - clicked);
        }
        const cancel = p.getElementById('create-cancel');
        if (cancelWhen && status.textContent.includes(cancelWhen) && !cancel.hidden) cancel.click();
      });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
      if (!buttonDisabled) {
        clicked = Date.now();
        button.click();
        const settled = () => status.textContent.startsWith('Account created') || status.classList.contains('error');
        await until(settled, 'the account to be created', 80000);
      }
      observer.disconnect();
      popup.close();
      done({ status: status.textContent, buttonDisabled, steps, elapsedMs, why, describedBy });
    })().catch((e) => done({ status: 'script error: ' + e, buttonDisabled: false, steps: [], elapsedMs: [], why: '', describedBy: null }));
  `, [tb.addonId, address, trust, password, remember, cancelWhen]);
}
