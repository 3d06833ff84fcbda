// Thunderbird's own "new mail account" dialog (the ESR 153 account hub) with the add-on installed, in the
// real Thunderbird on an Xvfb display: the SRV servers appear in Thunderbird's own "configuration found"
// view, the account it makes logs in to dovecot, an out-of-domain unsigned answer is put to the user
// first, the options switch turns it all off, and a host Thunderbird knows for OAuth2 signs in with OAuth2.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startImapServer, type ImapServer } from '../support/imap-server.ts';
import { callExperiment, mailPrefs, PAGE_HELPERS, useResolver } from '../support/thunderbird-pages.ts';
import { packageAddon, startThunderbird, type RunningThunderbird } from '../support/thunderbird.ts';

const HUB_PORT = 11993; // test/resolver/zones/hub.test.zone publishes this port
const PASSWORD = 'hub horse battery';

/** Xvfb on the first free display, with openbox: Thunderbird's dialogs need a window manager to take clicks. */
async function startDisplay(): Promise<{ display: string; stop: () => Promise<void> }> {
  let n = 90;
  while (existsSync(`/tmp/.X${n}-lock`)) n++;
  const display = `:${n}`;
  const xvfb: ChildProcess = spawn('Xvfb', [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await new Promise((r) => setTimeout(r, 50));
  const openbox: ChildProcess = spawn('openbox', [], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
  const ended = (child: ChildProcess): Promise<void> =>
    new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    display,
    stop: async () => {
      openbox.kill();
      await ended(openbox);
      xvfb.kill();
      await ended(xvfb);
    },
  };
}

/** What Thunderbird's hub shows for `address`, driven through its own form, footer buttons and views. */
interface HubView {
  readonly view: string;
  readonly incoming?: { host: string; port: string; socketType: string; auth: string; username: string };
  readonly outgoing?: { host: string; port: string };
  readonly confirmHost?: string;
  readonly error?: string;
}

const HUB_HELPERS = `
  ${PAGE_HELPERS}
  const win = () => Services.wm.getMostRecentWindow('mail:3pane');
  // The hub lives in account-hub-container's shadow root.
  const hubEmail = () => win().document.querySelector('account-hub-container')?.shadowRoot?.querySelector('account-hub-email');
  const visible = (selector) => {
    const e = hubEmail() && hubEmail().querySelector(selector);
    return e && !e.hidden && e.closest('[hidden]') === null ? e : null;
  };
  const text = (root, selector) => (root.querySelector(selector)?.textContent ?? '').trim();
  const forward = () => hubEmail().querySelector('account-hub-footer #forward');
  async function press(button) {
    await until(() => button() && !button().disabled && !button().hidden, 'the button to be enabled');
    button().click();
  }
  const SUBVIEWS = ['email-sync-accounts-form', 'email-manual-incoming-form', 'email-config-found', 'email-credentials-confirmation',
    'email-manual-config-form', 'email-password-form',
    'email-added-success', 'email-auto-form'];
  const shownView = () => SUBVIEWS.find((v) => visible(v));
`;

describe("Thunderbird's own account set-up with the add-on", () => {
  let tb: RunningThunderbird;
  let screen: Awaited<ReturnType<typeof startDisplay>>;
  let imap: ImapServer;
  let xpiDir: string;
  beforeAll(async () => {
    xpiDir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-xpi-'));
    screen = await startDisplay();
    // The login name is the full address (RFC 6186 §4's first try).
    // frida's login name is the local-part only (RFC 6186 §4's second try).
    imap = await startImapServer(
      inject('stateDir'),
      { 'alice@hub.test': PASSWORD, frida: PASSWORD },
      { host: 'imap.hub.test', port: HUB_PORT },
    );
    tb = await startThunderbird({ caFile: inject('caFile'), xpi: packageAddon(xpiDir), dohUrl: inject('dohUrl'), display: screen.display });
    expect(await useResolver(tb, inject('dohUrl'))).toBe('saved');
  }, 120000);
  afterAll(async () => {
    await tb?.stop();
    await imap?.stop();
    await screen?.stop();
    rmSync(xpiDir, { recursive: true, force: true });
  }, 30000);

  /** Opens the hub's e-mail flow, types the address and presses Continue; returns the view Thunderbird lands on. */
  const lookUp = (address: string): Promise<HubView> => tb.marionette.executeAsync<HubView>(`
    const [address, done] = arguments;
    ${HUB_HELPERS}
    (async () => {
      await until(() => win() && win().openAccountHub, 'the main window');
      await win().openAccountHub('MAIL');
      const form = await until(() => visible('email-auto-form'), 'the e-mail form');
      form.querySelector('#realName').value = 'Alice Hub';
      form.querySelector('#realName').dispatchEvent(new Event('input'));
      form.querySelector('#email').value = address;
      form.querySelector('#email').dispatchEvent(new Event('input'));
      await press(forward);
      const view = await until(() => { const v = shownView(); return v && v !== 'email-auto-form' ? v : null; }, 'a result', 60000);
      const found = visible('email-config-found');
      // The view is shown before its fields are filled in: wait for this address's own.
      if (found) await until(() => text(found, '#incomingUsername').endsWith('@' + address.split('@')[1]), 'the fields of ' + address);
      // Labels such as the authentication method are translated asynchronously (Fluent): let them settle.
      await win().document.l10n.translateRoots();
      await win().document.querySelector('account-hub-container').l10n.translateRoots();
      const confirm = visible('email-credentials-confirmation');
      done({
        view,
        ...(found ? {
          incoming: { host: text(found, '#incomingHost'), port: text(found, '#incomingPort'),
            socketType: text(found, '#incomingSocketType'),
            auth: text(found, '#incomingAuthenticationType'), username: text(found, '#incomingUsername') },
          outgoing: { host: text(found, '#outgoingHost'), port: text(found, '#outgoingPort') },
        } : {}),
        ...(confirm ? { confirmHost: text(confirm, '#hostname') } : {}),
      });
    })().catch((e) => done({ view: 'script error', error: String(e) }));
  `, [address]);

  /** From the configuration-found view: Continue, the password, Continue; Thunderbird verifies and creates the account. */
  const finish = (address: string, password: string): Promise<string> => tb.marionette.executeAsync<string>(`
    const [address, password, done] = arguments;
    const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
    ${HUB_HELPERS}
    (async () => {
      await press(forward);
      const form = await until(() => visible('email-password-form'), 'the password form');
      form.querySelector('#password').value = password;
      form.querySelector('#password').dispatchEvent(new Event('input'));
      await press(forward);
      const notice = () => [...hubEmail().querySelectorAll('account-hub-header')]
        .map((h) => h.shadowRoot?.textContent ?? h.textContent).join(' ').replace(/\\s+/g, ' ');
      // The account exists once Thunderbird's login check passed; the hub then looks for address books and calendars.
      await until(() => MailServices.accounts.allIdentities.some((i) => i.email === address), 'the account', 60000)
        .catch((e) => { trace.push(notice()); throw e; });
      done('created');
    })().catch((e) => done('script error: ' + e));
  `, [address, password]);

  /** The account Thunderbird made for `address`, read back from its prefs (the account manager's own view of them). */
  const readBack = (address: string) => tb.marionette.executeAsync<Record<string, unknown> | null>(`
    const [address, done] = arguments;
    const account = MailServices.accounts.accounts.find((a) => a.identities.some((i) => i.email === address));
    if (!account) { done(null); return; }
    const server = account.incomingServer;
    const identity = account.defaultIdentity;
    const prefs = (root) => Object.fromEntries(Services.prefs.getChildList(root).map((name) => {
      const type = Services.prefs.getPrefType(name);
      return [name.slice(root.length), type === Services.prefs.PREF_STRING ? Services.prefs.getStringPref(name)
        : type === Services.prefs.PREF_INT ? Services.prefs.getIntPref(name) : Services.prefs.getBoolPref(name)];
    }));
    const smtpKey = identity.smtpServerKey;
    done({ server: prefs('mail.server.' + server.key + '.'), smtp: prefs('mail.smtpserver.' + smtpKey + '.'),
      outgoing: prefs('mail.outgoingserver.' + smtpKey + '.'), fcc: identity.fccFolderURI || identity.getUnicharAttribute('fcc_folder') });
  `.replace('MailServices.', "ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs').MailServices."), [address]);

  /** Closes the hub (its own way out), so the next lookup starts from a fresh form. */
  const closeHub = () => tb.marionette.executeAsync<string>(`
    const [done] = arguments;
    ${HUB_HELPERS}
    (async () => {
      const container = win().document.querySelector('account-hub-container');
      await hubEmail()?.reset?.();
      if (container?.modal?.open) container.modal.close();
      done('closed');
    })().catch((e) => done('script error: ' + e));
  `);

  test('the hook: FindConfig.parallelAutoDiscovery is wrapped while the switch is on', async () => {
    const wrapped = await tb.marionette.executeAsync<boolean>(`
      const [done] = arguments;
      const { FindConfig } = ChromeUtils.importESModule('resource:///modules/accountcreation/FindConfig.sys.mjs');
      done(String(FindConfig.parallelAutoDiscovery).includes('askBackground'));
    `);
    expect(wrapped).toBe(true);
  });

  test('RFC 6186 §6: an unsigned answer naming hosts outside the domain is put to the user in the hub\'s own confirmation', async () => {
    const asked = await lookUp('bob@outside.test');
    expect(asked).toMatchObject({ view: 'email-credentials-confirmation', confirmHost: 'imap.provider.test:993, smtp.provider.test:465' });
    // Accepting shows exactly the servers named.
    const accepted = await tb.marionette.executeAsync<HubView>(`
      const [done] = arguments;
      ${HUB_HELPERS}
      (async () => {
        await press(forward);
        const found = await until(() => visible('email-config-found'), 'the configuration', 30000);
        done({ view: 'email-config-found', incoming: { host: text(found, '#incomingHost'), port: text(found, '#incomingPort') } });
      })().catch((e) => done({ view: 'script error', error: String(e) }));
    `);
    expect(accepted).toMatchObject({ view: 'email-config-found', incoming: { host: 'imap.provider.test', port: '993' } });
    expect(await closeHub()).toBe('closed');
  }, 90000);

  test('OAuth2: SRV targets Thunderbird knows as an OAuth2 provider\'s make an OAuth2 account (prefs; no login tried)', async () => {
    const shown = await lookUp('carol@oauth.test');
    expect(shown).toMatchObject({ view: 'email-config-found', incoming: { host: 'imap.gmail.com', port: '993', auth: 'OAuth2' } });
    expect(await closeHub()).toBe('closed');
    // What the hub would create from that configuration, made by Thunderbird's own CreateInBackend without a login.
    const made = await tb.marionette.executeAsync<Record<string, unknown>>(`
      const [done] = arguments;
      (async () => {
        const { FindConfig } = ChromeUtils.importESModule('resource:///modules/accountcreation/FindConfig.sys.mjs');
        const { AccountConfig } = ChromeUtils.importESModule('resource:///modules/accountcreation/AccountConfig.sys.mjs');
        const { CreateInBackend } = ChromeUtils.importESModule('resource:///modules/accountcreation/CreateInBackend.sys.mjs');
        const search = FindConfig.parallelAutoDiscovery('oauth.test', 'carol@oauth.test', new AbortController().signal);
        const { value } = await search.next();
        AccountConfig.replaceVariables(value, 'Carol', 'carol@oauth.test', '');
        const account = await CreateInBackend.createAccountInBackend(value);
        const key = account.incomingServer.key;
        const smtp = account.defaultIdentity.smtpServerKey;
        done({ hostname: Services.prefs.getStringPref('mail.server.' + key + '.hostname'),
          authMethod: Services.prefs.getIntPref('mail.server.' + key + '.authMethod'),
          smtpAuthMethod: Services.prefs.getIntPref('mail.smtpserver.' + smtp + '.authMethod') });
      })().catch((e) => done({ error: String(e) }));
    `);
    // nsMsgAuthMethod.OAuth2 = 10.
    expect(made).toEqual({ hostname: 'imap.gmail.com', authMethod: 10, smtpAuthMethod: 10 });
  }, 90000);

  test('with the switch off Thunderbird\'s own search is back, unwrapped, and finds nothing for an SRV-only domain', async () => {
    const saved = await tb.marionette.executeAsync<string>(`
      const [id, done] = arguments;
      ${PAGE_HELPERS}
      (async () => {
        const options = await openPage(id, 'popup/options.html');
        const d = options.doc;
        await until(() => !d.getElementById('save').disabled, 'the stored options to load');
        const box = d.getElementById('use-in-account-setup');
        if (!box.checked) throw new Error('the switch is not on by default');
        box.click();
        d.getElementById('save').click();
        await until(() => d.getElementById('saved').textContent !== '', 'settings saved');
        options.close();
        const { FindConfig } = ChromeUtils.importESModule('resource:///modules/accountcreation/FindConfig.sys.mjs');
        await until(() => !String(FindConfig.parallelAutoDiscovery).includes('askBackground'), 'the original search back');
        done('unwrapped');
      })().catch((e) => done('script error: ' + e));
    `, [tb.addonId]);
    expect(saved).toBe('unwrapped');
    const shown = await lookUp('dave@hub.test');
    // Thunderbird's own guess finds nothing on the usual ports: its manual incoming-server form, as without the add-on.
    expect(shown.view).toBe('email-manual-incoming-form');
    expect(await closeHub()).toBe('closed');
    const back = await tb.marionette.executeAsync<string>(`
      const [id, done] = arguments;
      ${PAGE_HELPERS}
      (async () => {
        const options = await openPage(id, 'popup/options.html');
        const d = options.doc;
        await until(() => !d.getElementById('save').disabled, 'the stored options to load');
        d.getElementById('use-in-account-setup').click();
        d.getElementById('save').click();
        await until(() => d.getElementById('saved').textContent !== '', 'settings saved');
        options.close();
        const { FindConfig } = ChromeUtils.importESModule('resource:///modules/accountcreation/FindConfig.sys.mjs');
        await until(() => String(FindConfig.parallelAutoDiscovery).includes('askBackground'), 'the search wrapped again');
        done('wrapped');
      })().catch((e) => done('script error: ' + e));
    `, [tb.addonId]);
    expect(back).toBe('wrapped');
  }, 120000);

  test("RFC 6186: a domain publishing only SRV records shows its servers in Thunderbird's dialog, and the account logs in", async () => {
    const shown = await lookUp('alice@hub.test');
    expect(shown).toMatchObject({
      view: 'email-config-found',
      incoming: { host: 'imap.hub.test', port: String(HUB_PORT), socketType: 'SSL/TLS', username: 'alice@hub.test' },
      outgoing: { host: 'smtp.hub.test', port: '11465' },
    });
    expect(await finish('alice@hub.test', PASSWORD)).toBe('created');
    const account = await readBack('alice@hub.test');
    // What prefs.js holds: the SRV servers, SSL/TLS (socketType 3), the full address as login, made as the hub makes
    // accounts (mail checked at start-up, Sent on the server).
    expect(account?.server).toMatchObject({
      type: 'imap', hostname: 'imap.hub.test', port: HUB_PORT, socketType: 3, userName: 'alice@hub.test', login_at_startup: true,
    });
    expect(account?.smtp).toMatchObject({ hostname: 'smtp.hub.test', port: 11465, try_ssl: 3, username: 'alice@hub.test' });
    expect(account?.fcc).toBe('imap://alice%40hub.test@imap.hub.test/Sent');
    // RFC 6186 §4: the full address logged in at dovecot.
    expect(imap.log()).toMatch(/imap-login: Info: Login: user=<alice@hub\.test>, method=PLAIN/);
  }, 90000);

  test("RFC 6186 §4: when Thunderbird's own login check refuses the full address, the local-part is tried next and used", async () => {
    const before = imap.log().length;
    const shown = await lookUp('frida@hub.test');
    expect(shown).toMatchObject({ view: 'email-config-found', incoming: { host: 'imap.hub.test', username: 'frida@hub.test' } });
    expect(await finish('frida@hub.test', PASSWORD)).toBe('created');
    const account = await readBack('frida@hub.test');
    expect(account?.server).toMatchObject({ type: 'imap', hostname: 'imap.hub.test', port: HUB_PORT, userName: 'frida' });
    expect(account?.smtp).toMatchObject({ username: 'frida' });
    expect(account?.fcc).toBe('imap://frida@imap.hub.test/Sent');
    // dovecot saw the full address refused, then the local-part log in.
    const log = imap.log().slice(before);
    expect(log).toMatch(/passwd-file\(frida@hub\.test,[^)]*\): unknown user/);
    expect(log.indexOf('Login: user=<frida>')).toBeGreaterThan(log.indexOf('passwd-file(frida@hub.test'));
  }, 90000);

  test('OAuth2: the popup\'s Create account (the accounts Experiment) gives a known OAuth2 host OAuth2 too', async () => {
    const server = { hostname: 'imap.gmail.com', port: 993, security: 'tls', username: 'erin@oauth.test' };
    const answer = await callExperiment(tb, 'create', [{
      address: 'erin@oauth.test',
      incoming: { protocol: 'imap', ...server },
      outgoing: { ...server, protocol: 'smtp', hostname: 'smtp.gmail.com', port: 465 },
    }], 'page');
    expect(answer).toMatchObject({ value: { ok: true } });
    const prefs = await mailPrefs(tb);
    const userName = Object.entries(prefs).find(([n, v]) => /^mail\.server\.server\d+\.userName$/.test(n) && v === 'erin@oauth.test');
    const key = userName?.[0].split('.')[2];
    expect(prefs[`mail.server.${key}.authMethod`]).toBe(10);
  }, 30000);

  test('disabling the add-on puts Thunderbird\'s own search back: nothing is left patched', async () => {
    const after = await tb.marionette.executeAsync<string>(`
      const [id, done] = arguments;
      ${PAGE_HELPERS}
      (async () => {
        const { AddonManager } = ChromeUtils.importESModule('resource://gre/modules/AddonManager.sys.mjs');
        const { FindConfig } = ChromeUtils.importESModule('resource:///modules/accountcreation/FindConfig.sys.mjs');
        const addon = await AddonManager.getAddonByID(id);
        await addon.disable();
        await until(() => !String(FindConfig.parallelAutoDiscovery).includes('askBackground'), 'the original search back');
        const { ConfigVerifier } = ChromeUtils.importESModule('resource:///modules/accountcreation/ConfigVerifier.sys.mjs');
        // Thunderbird's own login check is back too.
        if (String(ConfigVerifier.prototype.verifyConfig).includes('srvAutoconfigUsernames')) throw new Error('verifyConfig still wrapped');
        done(String(FindConfig.parallelAutoDiscovery).split('{')[0].replace(/\\s+/g, ' ').trim());
      })().catch((e) => done('script error: ' + e));
    `, [tb.addonId]);
    // Thunderbird's own function, by its source.
    expect(after).toBe('async function* parallelAutoDiscovery( domain, emailAddress, abortSignal, password, exchangeUsername )');
  }, 30000);
});
