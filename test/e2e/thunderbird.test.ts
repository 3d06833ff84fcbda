// The packaged add-on in Debian's Thunderbird (headless, fresh profile): it installs, its background
// runs a real discovery against the test resolver, and the popup renders the result.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startImapServer, type ImapServer } from '../support/imap-server.ts';
import { createThroughPopup as createWithPopup, PAGE_HELPERS } from '../support/thunderbird-pages.ts';
import { packageAddon, startThunderbird, type RunningThunderbird } from '../support/thunderbird.ts';

const ARTIFACTS = 'test/artifacts';

const HELPERS = PAGE_HELPERS;

describe('Thunderbird', () => {
  let tb: RunningThunderbird;
  let xpiDir: string;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    xpiDir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-xpi-'));
    tb = await startThunderbird({ caFile: inject('caFile'), xpi: packageAddon(xpiDir), dohUrl: inject('dohUrl') });
  }, 90000);
  afterAll(async () => {
    await tb?.stop();
    rmSync(xpiDir, { recursive: true, force: true });
  }, 30000);

  test('the add-on is installed and enabled from the profile', async () => {
    const addon = await tb.marionette.executeAsync<{ active: boolean; version: string; type: string } | null>(`
      const [id, done] = arguments;
      const { AddonManager } = ChromeUtils.importESModule('resource://gre/modules/AddonManager.sys.mjs');
      AddonManager.getAddonByID(id).then(
        (a) => done(a && { active: a.isActive, version: a.version, type: a.type }), (e) => done(String(e)));
    `, [tb.addonId]);
    expect(addon).toEqual({ active: true, version: '0.1.0', type: 'extension' });
  });

  test('the popup is prefilled with the default identity\'s address (accountsRead)', async () => {
    const prefilled = await tb.marionette.executeAsync<string>(`
      const [id, done] = arguments;
      ${HELPERS}
      (async () => {
        const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
        const account = MailServices.accounts.createAccount();
        const identity = MailServices.accounts.createIdentity();
        identity.email = 'taro@example.test';
        account.addIdentity(identity);
        // A POP3 account that never connects (no biff, no login at start-up) can be the default.
        const server = MailServices.accounts.createIncomingServer('taro', 'pop.invalid', 'pop3');
        server.doBiff = false;
        server.loginAtStartUp = false;
        account.incomingServer = server;
        MailServices.accounts.defaultAccount = account;
        const popup = await openPage(id, 'popup/popup.html');
        const value = await until(() => popup.doc.getElementById('address').value, 'the address to be prefilled');
        popup.close();
        done(value);
      })().catch((e) => done('script error: ' + e));
    `, [tb.addonId]);
    expect(prefilled).toBe('taro@example.test');
  });

  test('options point it at the test resolver; the popup autoconfigures a fixture address and the toolbar badge follows', async () => {
    type Shown = { tables: string[]; badge: string; status: string; toolbarBadge?: string; transport?: string };
    const result = await tb.marionette.executeAsync<Shown>(`
      const [id, doh, done] = arguments;
      ${HELPERS}
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
        trace.push('custom-error=' + d.getElementById('custom-error').textContent,
          'timeout-error=' + d.getElementById('timeout-error').textContent, 'timeout=' + d.getElementById('timeout').value,
          'url=' + d.getElementById('custom-url').value);
        await until(() => d.getElementById('saved').textContent !== '', 'settings saved');
        options.close();

        const popup = await openPage(id, 'popup/popup.html');
        const p = popup.doc;
        await until(() => p.getElementById('go').textContent !== '', 'the popup to localise');
        p.getElementById('address').value = 'alice@example.test';
        p.getElementById('go').click();
        // The verdict, not the settings shown before it (docs/performance.md#two-phases).
        await until(() => (p.querySelector('#badge .badge') && !p.getElementById('result').hasAttribute('aria-busy'))
          || p.getElementById('status').classList.contains('error'), 'a result');
        // What the background set on the toolbar button, read through the extension's own API.
        const page = p.defaultView.wrappedJSObject;
        const toolbarBadge = await page.browser.action.getBadgeText(new page.Object());
        done({
          transport: p.querySelector('table.transport')?.textContent ?? '',
          toolbarBadge,
          tables: [...p.querySelectorAll('table.settings')].map((t) => t.textContent),
          badge: p.querySelector('#badge .badge')?.className ?? '',
          status: p.getElementById('status').textContent,
        });
      })().catch((e) => done({ tables: [], badge: '', status: 'script error: ' + e }));
    `, [tb.addonId, inject('dohUrl')]);
    expect(result.status).toMatch(/Settings for example\.test found in \d+ ms \(\d+ DNS queries\)/);
    expect(result.badge).toContain('badge-tls');
    expect(result.toolbarBadge).toBe('TLS');
    expect(result.transport).toMatch(/MTA-STS.*Mode enforce · servers smtp\.example\.test/);
    expect(result.transport).toMatch(/DANE.*smtp\.example\.test port 25: certificate pinned with DNSSEC/);
    expect(result.tables[0]).toMatch(/Incoming mail — IMAP.*imap\.example\.test.*993.*SSL\/TLS.*alice@example\.test/);
    expect(result.tables[1]).toMatch(/Outgoing mail — SMTP.*smtp\.example\.test.*465.*SSL\/TLS/);

    const shot = (await tb.marionette.send('WebDriver:TakeScreenshot', { full: false })) as { value: string };
    writeFileSync(join(ARTIFACTS, 'thunderbird-popup.png'), Buffer.from(shot.value, 'base64'));
  });


  describe('creating accounts through the add-on (Experiment srvAutoconfigAccounts)', () => {
    /** Autoconfigures `address` in the popup and presses "Create account"; returns what the popup says. */
    const createThroughPopup = (address: string, trust = false, password = '', remember = false, cancelWhen = '') =>
      createWithPopup(tb, address, { trust, password, remember, cancelWhen });

    /** The account Thunderbird now has for `address`, read from its account manager. */
    function readBack(address: string) {
      return tb.marionette.executeAsync<Record<string, unknown> | null>(`
        const [address, done] = arguments;
        const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
        const account = MailServices.accounts.accounts.find((a) => a.defaultIdentity && a.defaultIdentity.email === address);
        if (!account) return done(null);
        const server = account.incomingServer;
        const key = account.defaultIdentity.smtpServerKey;
        const outgoing = key ? MailServices.outgoingServer.getServerByKey(key) : null;
        const smtp = outgoing ? outgoing.QueryInterface(Ci.nsISmtpServer) : null;
        const identity = account.defaultIdentity;
        done({
          type: server.type, hostName: server.hostname, port: server.port, socketType: server.socketType, username: server.username,
          authMethod: server.authMethod, identity: identity.email,
          ...(smtp
            ? { smtpHost: smtp.hostname, smtpPort: smtp.port, smtpSocketType: outgoing.socketType, smtpUsername: outgoing.username }
            : {}),
          // As Thunderbird's own dialog (CreateInBackend) leaves them: Sent, Drafts and Templates on the server, mail checked at start-up.
          folders: {
            fcc: identity.fccFolderURI, drafts: identity.draftsFolderURI, templates: identity.templatesFolderURI, server: server.serverURI,
          },
          loginAtStartUp: server.loginAtStartUp,
        });
      `, [address]);
    }

    // nsMsgSocketType: 2 = alwaysSTARTTLS, 3 = SSL; nsMsgAuthMethod 3 = passwordCleartext (inside TLS).
    test.each([
      { address: 'alice@example.test', type: 'imap', host: 'imap.example.test', port: 993, socket: 3,
        smtpHost: 'smtp.example.test', smtpPort: 465, smtpSocket: 3 },
      { address: 'carol@pop.test', type: 'pop3', host: 'mail.pop.test', port: 995, socket: 3,
        smtpHost: 'mail.pop.test', smtpPort: 465, smtpSocket: 3 },
      { address: 'bob@starttls.test', type: 'imap', host: 'mail.starttls.test', port: 143, socket: 2,
        smtpHost: 'mail.starttls.test', smtpPort: 587, smtpSocket: 2 },
    ])('$address becomes a $type account on $host:$port (socket type $socket)', async (expected) => {
      const { address, type, host, port, socket, smtpHost, smtpPort, smtpSocket } = expected;
      const result = await createThroughPopup(address);
      expect(result.status).toBe(`Account created; username ${address}.`);
      const serverURI = `${type === 'imap' ? 'imap' : 'mailbox'}://${encodeURIComponent(address)}@${host}`;
      expect(await readBack(address)).toEqual({
        type, hostName: host, port, socketType: socket, username: address, authMethod: 3, identity: address,
        smtpHost, smtpPort, smtpSocketType: smtpSocket, smtpUsername: address,
        folders: { fcc: `${serverURI}/Sent`, drafts: `${serverURI}/Drafts`, templates: `${serverURI}/Templates`, server: serverURI },
        loginAtStartUp: true,
      });
    });

    const FRANK_SHOWN = {
      address: 'frank@outside.test',
      incoming: { protocol: 'imap', hostname: 'imap.provider.test', port: 993, security: 'tls' },
      outgoing: { protocol: 'smtp', hostname: 'smtp.provider.test', port: 465, security: 'tls' },
    };

    test('RFC 6186 §6: an unverified configuration is refused without the user\'s confirmation', async () => {
      const result = await createThroughPopup('frank@outside.test');
      expect(result.buttonDisabled).toBe(true);
      // The disabled button says why, next to it, as its description.
      expect(result.why).toBe('Tick “I trust this configuration” above to create the account.');
      expect(result.describedBy).toBe('create-why');
      // The background refuses it too, whatever a page asks.
      const direct = await tb.marionette.executeAsync<unknown>(`
        const [id, shownJson, done] = arguments;
        ${HELPERS}
        (async () => {
          const popup = await openPage(id, 'popup/popup.html');
          const page = popup.doc.defaultView.wrappedJSObject;
          const request = new page.Object();
          request.type = 'createAccount';
          request.shown = page.JSON.parse(shownJson);
          request.trusted = false;
          const answer = await page.browser.runtime.sendMessage(request);
          popup.close();
          done(JSON.parse(JSON.stringify(answer)));
        })().catch((e) => done('script error: ' + e));
      `, [tb.addonId, JSON.stringify(FRANK_SHOWN)]);
      expect(direct).toEqual({ ok: false, reason: 'account-unverified' });
      expect(await readBack('frank@outside.test')).toBeNull();
    });

    test('a confirmed unverified configuration is created, and the account list never calls it a plain match', async () => {
      expect((await createThroughPopup('frank@outside.test', true)).status).toBe('Account created; username frank@outside.test.');
      expect(await readBack('frank@outside.test')).toMatchObject({ hostName: 'imap.provider.test', smtpHost: 'smtp.provider.test' });
      const row = await tb.marionette.executeAsync<string>(`
        const [id, done] = arguments;
        ${HELPERS}
        (async () => {
          const popup = await openPage(id, 'popup/popup.html');
          const row = await until(() => [...popup.doc.querySelectorAll('#account-list li')].map((li) => li.textContent)
            .find((t) => t.startsWith('frank@outside.test')), 'the account list');
          popup.close();
          done(row);
        })().catch((e) => done('script error: ' + e));
      `, [tb.addonId]);
      expect(row).toContain('This account: Unverified');
      expect(row).not.toContain('Matches what the domain publishes');
      expect(row).toContain(
        'Uses the servers the domain publishes, but nothing (DNSSEC, a certificate naming the domain) vouches for them.');
    }, 60000);

    describe('RFC 6186 §4 login order against a real IMAP server (dovecot) whose user is the local-part', () => {
      let imap: ImapServer;
      beforeAll(async () => {
        imap = await startImapServer(inject('stateDir'), { carol: 'correct horse' });
      }, 30000);
      afterAll(async () => imap?.stop());

      const savedLogins = () => tb.marionette.executeAsync<string[]>(`
        const [done] = arguments;
        Services.logins.getAllLogins().then((all) => done(
          all.filter((l) => l.origin.includes('login.test')).map((l) => l.origin + ' ' + l.username).sort()));
      `);

      /** dovecot's refusals since `from`, per login name: one line per attempt (auth_verbose). */
      const refusals = (from: number): Record<string, number> => {
        const counts: Record<string, number> = {};
        for (const m of imap.log().slice(from).matchAll(/passwd-file\(([^,]+),[^)]*\): (?:unknown user|Password mismatch)/g)) {
          counts[m[1]!] = (counts[m[1]!] ?? 0) + 1;
        }
        return counts;
      };

      test('a wrong password logs in with neither name — one attempt each, the steps shown — and no account is made', async () => {
        const before = imap.log().length;
        const result = await createThroughPopup('carol@login.test', false, 'wrong');
        expect(result.status).toBe('The password did not work with the full address nor with the part before the "@" as username.');
        expect(result.steps).toContain('Trying carol@login.test … refused. Trying carol …');
        expect(result.steps).toContain('Trying carol@login.test … refused. Trying carol … refused.');
        // Thunderbird's "normal password" tried AUTHENTICATE PLAIN, AUTHENTICATE LOGIN and LOGIN: three refusals per name.
        expect(refusals(before)).toEqual({ 'carol@login.test': 1, carol: 1 });
        expect(await readBack('carol@login.test')).toBeNull();
      }, 90000);

      test('Cancel while the full address is tried: the local-part is never tried and nothing is created', async () => {
        const before = imap.log().length;
        const result = await createThroughPopup('carol@login.test', false, 'correct horse', false, 'Trying carol@login.test …');
        expect(result.status).toBe('Cancelled: no account was created.');
        expect(result.steps.some((text) => text.includes('Trying carol …'))).toBe(false);
        // Long enough for a second attempt to have reached dovecot, had one been made.
        await new Promise((resolve) => setTimeout(resolve, 6000));
        expect(imap.log().slice(before)).not.toMatch(/passwd-file\(carol,|Login: user=<carol>/);
        expect(await readBack('carol@login.test')).toBeNull();
      }, 90000);

      test('the full address is refused once, the local-part logs in; the account is Thunderbird\'s own kind, with that name', async () => {
        const before = imap.log().length;
        expect(await savedLogins()).toEqual([]);
        const result = await createThroughPopup('carol@login.test', false, 'correct horse', true);
        expect(result.status).toBe('Account created; username carol.');
        // Each step on the status line as it happened (RFC 6186 §4: the full address first, then the local-part).
        expect(result.steps[0]).toBe('Creating the account…');
        expect(result.steps).toContain('Trying carol@login.test …');
        expect(result.steps).toContain('Trying carol@login.test … refused. Trying carol …');
        expect(result.steps.at(-2)).toBe('Trying carol@login.test … refused. Trying carol … logged in. Creating the account …');
        // "Remember" stored the password for the name that worked, in Thunderbird's password manager.
        expect(await savedLogins()).toEqual(['imap://imap.login.test carol', 'smtp://smtp.login.test carol']);
        expect(await readBack('carol@login.test')).toMatchObject({
          type: 'imap', hostName: 'imap.login.test', port: 10993, socketType: 3, authMethod: 3, username: 'carol', smtpUsername: 'carol',
          folders: {
            fcc: 'imap://carol@imap.login.test/Sent', drafts: 'imap://carol@imap.login.test/Drafts',
            templates: 'imap://carol@imap.login.test/Templates', server: 'imap://carol@imap.login.test',
          },
          loginAtStartUp: true,
        });
        // One refusal for the full address, then the local-part logged in.
        const log = imap.log().slice(before);
        expect(refusals(before)).toEqual({ 'carol@login.test': 1 });
        expect(log.indexOf('Login: user=<carol>')).toBeGreaterThan(log.indexOf('passwd-file(carol@login.test'));
      }, 90000);
    });

    test('an account made outside the add-on is checked (accounts.onCreated): badge and list show it weaker than published', async () => {
      const result = await tb.marionette.executeAsync<{ before: string; after: string; list: string }>(`
        const [id, done] = arguments;
        ${HELPERS}
        (async () => {
          const popup = await openPage(id, 'popup/popup.html');
          const page = popup.doc.defaultView.wrappedJSObject;
          const badge = () => page.browser.action.getBadgeText(new page.Object());
          const before = await badge();
          // As a user would in Thunderbird's own account settings: IMAP with STARTTLS on 143.
          const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
          const server = MailServices.accounts.createIncomingServer('eve@example.test', 'imap.example.test', 'imap');
          server.port = 143;
          server.socketType = Ci.nsMsgSocketType.alwaysSTARTTLS;
          server.authMethod = Ci.nsMsgAuthMethod.passwordCleartext;
          const identity = MailServices.accounts.createIdentity();
          identity.email = 'eve@example.test';
          const account = MailServices.accounts.createAccount();
          account.addIdentity(identity);
          account.incomingServer = server;
          const after = await until(async () => { const b = await badge(); return b !== before && b; }, 'the badge to change');
          popup.close();
          const again = await openPage(id, 'popup/popup.html');
          const list = await until(() => [...again.doc.querySelectorAll('#account-list li')].map((li) => li.textContent)
            .find((t) => t.startsWith('eve@')), 'the account list');
          again.close();
          done({ before, after, list });
        })().catch((e) => done({ before: '', after: 'script error: ' + e, list: '' }));
      `, [tb.addonId]);
      expect(result.before).toBe('TLS');
      expect(result.after).toBe('STLS');
      expect(result.list).toBe('eve@example.test: IMAP imap.example.test:143 (STARTTLS)This account: Encrypted with STARTTLS'
        + 'What the domain publishes: Secure: TLS from the first byte, both waysThe DNS answers were validated with DNSSEC.'
        + 'Uses STARTTLS although the domain offers SSL/TLS from the first byte.'
        + 'Use the published settings: imap.example.test:993 SSL/TLS' + 'It fails to connect: look up its servers again');
    });

    test('the weaker account is moved to the published settings only after a confirming second click', async () => {
      const result = await tb.marionette.executeAsync<{ offer: string; confirm: string; unconfirmed: unknown; after: string }>(`
        const [id, done] = arguments;
        ${HELPERS}
        (async () => {
          const popup = await openPage(id, 'popup/popup.html');
          const d = popup.doc;
          const item = await until(() => [...d.querySelectorAll('#account-list li')]
            .find((li) => li.textContent.startsWith('eve@') && li.querySelector('button.update')), 'the update offer');
          const button = item.querySelector('button.update');
          const offer = button.textContent;
          // The background refuses an update nobody confirmed.
          const page = d.defaultView.wrappedJSObject;
          const request = new page.Object();
          request.type = 'updateAccount';
          request.accountId = 'no-such-account';
          request.confirmed = false;
          const unconfirmed = JSON.parse(JSON.stringify(await page.browser.runtime.sendMessage(request)));
          button.click();
          const confirm = button.textContent;
          button.click();
          // The row's own first line (not the button's) says where the account now points.
          const after = await until(() => [...d.querySelectorAll('#account-list li')].map((li) => li.textContent)
            .find((t) => t.startsWith('eve@example.test: IMAP imap.example.test:993')), 'the updated account');
          popup.close();
          done({ offer, confirm, unconfirmed, after });
        })().catch((e) => done({ offer: 'script error: ' + e, confirm: '', unconfirmed: null, after: '' }));
      `, [tb.addonId]);
      expect(result.offer).toBe('Use the published settings: imap.example.test:993 SSL/TLS');
      expect(result.confirm).toBe('Confirm: change the account to imap.example.test:993 SSL/TLS');
      expect(result.unconfirmed).toEqual({ ok: false, reason: 'account-update-unconfirmed' });
      expect(result.after).toBe('eve@example.test: IMAP imap.example.test:993 (SSL/TLS)'
        + 'This account: Secure: TLS from the first byte, both ways'
        + 'What the domain publishes: Secure: TLS from the first byte, both waysThe DNS answers were validated with DNSSEC.'
        + 'Matches what the domain publishes.It fails to connect: look up its servers again');
      expect(await readBack('eve@example.test')).toMatchObject({ type: 'imap', hostName: 'imap.example.test', port: 993, socketType: 3 });
    });

    test('RFC 6186 §6: unsigned answers naming another domain never move an account by two clicks; only trusting them does', async () => {
      type Moved = { row: string; disabled: boolean; refused: unknown; stillOwn: boolean; moved: string };
      const result = await tb.marionette.executeAsync<Moved>(`
        const [id, shownJson, done] = arguments;
        ${HELPERS}
        (async () => {
          // alice@upd.test uses the domain's own host; upd.test publishes, unsigned, imap/smtp.attacker.test.
          const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
          const server = MailServices.accounts.createIncomingServer('alice@upd.test', 'imap.upd.test', 'imap');
          server.port = 143;
          server.socketType = Ci.nsMsgSocketType.alwaysSTARTTLS;
          server.authMethod = Ci.nsMsgAuthMethod.passwordCleartext;
          const outgoing = MailServices.outgoingServer.createServer('smtp');
          outgoing.QueryInterface(Ci.nsISmtpServer).hostname = 'smtp.upd.test';
          outgoing.QueryInterface(Ci.nsISmtpServer).port = 587;
          outgoing.socketType = Ci.nsMsgSocketType.alwaysSTARTTLS;
          const identity = MailServices.accounts.createIdentity();
          identity.email = 'alice@upd.test';
          identity.smtpServerKey = outgoing.key;
          const account = MailServices.accounts.createAccount();
          account.addIdentity(identity);
          account.incomingServer = server;

          const popup = await openPage(id, 'popup/popup.html');
          const d = popup.doc;
          const item = await until(() => [...d.querySelectorAll('#account-list li')]
            .find((li) => li.textContent.startsWith('alice@upd.test')
              && [...li.querySelectorAll('button')].some((b) => b.textContent.startsWith('Move to these unverified'))),
            'the unverified offer');
          const row = item.textContent;
          const button = [...item.querySelectorAll('button')].find((b) => b.textContent.startsWith('Move to these unverified'));
          const disabled = button.disabled;
          button.click();
          button.click();
          // Whatever a page asks, the background refuses servers nobody vouched for and the user did not trust.
          const page = d.defaultView.wrappedJSObject;
          const request = new page.Object();
          request.type = 'updateAccount';
          request.accountId = account.key;
          request.shown = page.JSON.parse(shownJson);
          request.confirmed = true;
          request.trusted = false;
          const refused = JSON.parse(JSON.stringify(await page.browser.runtime.sendMessage(request)));
          const stillOwn = account.incomingServer.hostname === 'imap.upd.test';
          item.querySelector('input.update-trust').click();
          button.click();
          button.click();
          const moved = await until(() => [...d.querySelectorAll('#account-list li')].map((li) => li.textContent)
            .find((t) => t.startsWith('alice@upd.test: IMAP imap.attacker.test:993')), 'the moved account');
          popup.close();
          done({ row, disabled, refused, stillOwn, moved });
        })().catch((e) => done({ row: 'script error: ' + e, disabled: false, refused: null, stillOwn: false, moved: '' }));
      `, [tb.addonId, JSON.stringify({ incoming: { protocol: 'imap', hostname: 'imap.attacker.test', port: 993, security: 'tls' },
        outgoing: { protocol: 'smtp', hostname: 'smtp.attacker.test', port: 465, security: 'tls' } })]);
      expect(result.row).toContain('This account: Encrypted with STARTTLS');
      expect(result.row).toContain('What the domain publishes: Unverified: confirm before use');
      expect(result.row).toContain('nothing vouches for them');
      expect(result.row).not.toContain('does not publish');
      expect(result.disabled).toBe(true);
      expect(result.refused).toEqual({ ok: false, reason: 'account-unverified' });
      expect(result.stillOwn).toBe(true);
      expect(result.moved).toContain('alice@upd.test: IMAP imap.attacker.test:993 (SSL/TLS)');
      expect(await readBack('alice@upd.test')).toMatchObject({
        hostName: 'imap.attacker.test', port: 993, socketType: 3, smtpHost: 'smtp.attacker.test', smtpPort: 465, smtpSocketType: 3,
      });
    });

    test('RFC 6186 §6: the trust tick belongs to what was shown — another address clears it, a changed answer is refused', async () => {
      type Ticked = { enabled: boolean; tickAfterEdit: boolean; createHidden: boolean; badgeAfterEdit: number; changed: unknown };
      const result = await tb.marionette.executeAsync<Ticked>(`
        const [id, shown, done] = arguments;
        ${HELPERS}
        (async () => {
          const popup = await openPage(id, 'popup/popup.html');
          const p = popup.doc;
          await until(() => p.getElementById('go').textContent !== '', 'the popup to localise');
          p.getElementById('address').value = 'grace@outside.test';
          p.getElementById('go').click();
          await until(() => p.getElementById('status').textContent.includes('outside.test') && !p.getElementById('create').hidden,
            'the result');
          p.getElementById('trust').click();
          const enabled = !p.getElementById('create-account').disabled;
          const input = p.getElementById('address');
          input.value = 'grace@outside.tes';
          input.dispatchEvent(new p.defaultView.Event('input'));
          const tickAfterEdit = p.getElementById('trust').checked;
          const createHidden = p.getElementById('create').hidden;
          const badgeAfterEdit = p.querySelectorAll('#badge *').length;
          // The user trusted provider.test; a request naming any other server is refused before any login.
          const page = p.defaultView.wrappedJSObject;
          const request = new page.Object();
          request.type = 'createAccount';
          request.shown = page.JSON.parse(shown);
          request.trusted = true;
          request.password = 'secret';
          const changed = JSON.parse(JSON.stringify(await page.browser.runtime.sendMessage(request)));
          popup.close();
          done({ enabled, tickAfterEdit, createHidden, badgeAfterEdit, changed });
        })().catch((e) => done({
          enabled: false, tickAfterEdit: true, createHidden: false, badgeAfterEdit: -1, changed: 'script error: ' + e,
        }));
      `, [tb.addonId, JSON.stringify({
        ...FRANK_SHOWN, address: 'grace@outside.test', incoming: { ...FRANK_SHOWN.incoming, hostname: 'imap.attacker.test' },
      })]);
      expect(result).toEqual({
        enabled: true, tickAfterEdit: false, createHidden: true, badgeAfterEdit: 0,
        changed: { ok: false, reason: 'account-settings-changed' },
      });
      expect(await readBack('grace@outside.test')).toBeNull();
    });

    test('OAuth2: a host Thunderbird knows for OAuth2 gets OAuth2 from the popup too; a typed password is not tried on it', async () => {
      const result = await createThroughPopup('dan@oauth.test', true, 'not a password for Google');
      expect(result.status).toBe('Account created; username dan@oauth.test.');
      expect(result.steps.some((text) => text.startsWith('Trying'))).toBe(false);
      // nsMsgAuthMethod.OAuth2 = 10: Thunderbird opens its own sign-in window at the first connection.
      expect(await readBack('dan@oauth.test')).toMatchObject({ hostName: 'imap.gmail.com', authMethod: 10, smtpHost: 'smtp.gmail.com' });
    }, 60000);

    test('an address that already has an account is refused', async () => {
      const result = await createThroughPopup('alice@example.test');
      expect(result.status).toBe('Thunderbird already has an account for this address.');
    });
  });
});
