// The privileged Experiment (src/experiments/accounts) in Debian's Thunderbird, called the way the add-on calls
// it: arguments it must refuse before anything is written, a login probe that answers within its time limit and
// never touches a real account, and an SMTP server another identity shares.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startImapServer, type ImapServer } from '../support/imap-server.ts';
import { callExperiment, createThroughPopup, mailPrefs, PAGE_HELPERS, useResolver } from '../support/thunderbird-pages.ts';
import { packageAddon, startThunderbird, type RunningThunderbird } from '../support/thunderbird.ts';

const TAKEN_PORT = 10994; // test/resolver/zones/taken.test.zone publishes this port

// Hosts of the example.test fixture zone: they resolve to 127.0.0.1, where nothing answers on 993/465/587.
const incoming = { protocol: 'imap', hostname: 'imap.example.test', port: 993, security: 'tls', username: 'u@example.test' };
const outgoing = { protocol: 'smtp', hostname: 'smtp.example.test', port: 465, security: 'tls', username: 'u@example.test' };
const account = (address: string) => ({
  address, incoming: { ...incoming, username: address }, outgoing: { ...outgoing, username: address },
});

describe('Thunderbird: the accounts Experiment', () => {
  let tb: RunningThunderbird;
  let xpiDir: string;
  beforeAll(async () => {
    xpiDir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-xpi-'));
    tb = await startThunderbird({ caFile: inject('caFile'), xpi: packageAddon(xpiDir), dohUrl: inject('dohUrl') });
  }, 90000);
  afterAll(async () => {
    await tb?.stop();
    rmSync(xpiDir, { recursive: true, force: true });
  }, 30000);

  const viaPage = (method: string, ...args: unknown[]) => callExperiment(tb, method, args, 'page');
  const viaImplementation = (method: string, ...args: unknown[]) => callExperiment(tb, method, args, 'implementation');
  const created = async (address: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const answer = await viaPage('create', { ...account(address), ...extra });
    if (!('value' in answer) || !(answer.value as { ok: boolean }).ok) throw new Error(`create ${address}: ${JSON.stringify(answer)}`);
    return (answer.value as { accountId: string }).accountId;
  };
  /** Whatever the schema says, the implementation's answer is the refusal. */
  const refusedByBoth = async (method: string, ...args: unknown[]) => {
    // The schema refuses the call before it reaches the implementation ("Type error for parameter …").
    expect(await viaPage(method, ...args), JSON.stringify(args)).toHaveProperty('error');
    expect(await viaImplementation(method, ...args), JSON.stringify(args))
      .toEqual({ value: { ok: false, reason: 'account-bad-settings' } });
  };

  describe('arguments are checked by the schema and again by the implementation before anything is written', () => {
    const bad = {
      hostnames: ['a b\n.test', '', 'imap..example.test', 'imap.example.test/x', '-imap.example.test', `${'a'.repeat(64)}.test`,
        'imap.example.test\u0000', '127.0.0.1', '10.0.0.1', 'localhost', 'mail.123'],
      ports: [0, 70000, -1, 993.5],
      texts: ['u\r\n@example.test', 'u@example.test\u0000', 'u\n', 'u\u0085', 'u\u2028'],
    };

    test('update: bad host names, ports, security, protocols and unknown properties are refused; prefs are unchanged', async () => {
      const accountId = await created('upd@example.test');
      const before = await mailPrefs(tb);
      const target = { protocol: 'imap', hostname: 'imap2.example.test', port: 993, security: 'tls' };
      const cases: unknown[] = [
        ...bad.hostnames.map((hostname) => ({ incoming: { ...target, hostname } })),
        ...bad.ports.map((port) => ({ incoming: { ...target, port } })),
        ...bad.hostnames.map((hostname) => ({ outgoing: { ...target, protocol: 'smtp', hostname } })),
        ...bad.ports.map((port) => ({ outgoing: { ...target, protocol: 'smtp', port } })),
        { incoming: { ...target, security: 'plain' } },
        { incoming: { ...target, protocol: 'smtp' } },
        { outgoing: { ...target, protocol: 'imap' } },
        { incoming: { ...target, username: 'mallory' } },
        { incoming: { ...target, hostname: 'imap2.example.test', evil: 1 } },
        { incoming: target, extra: {} },
        { incoming: { hostname: 'imap2.example.test' } },
      ];
      for (const servers of cases) await refusedByBoth('update', accountId, servers);
      expect(await mailPrefs(tb)).toEqual(before);
    }, 60000);

    test('create: control characters in address, username or display name, bad hosts, ports are refused; nothing is created', async () => {
      const before = await mailPrefs(tb);
      const good = account('new@example.test');
      const cases: unknown[] = [
        ...bad.texts.map((address) => ({ ...good, address })),
        ...bad.texts.map((username) => ({ ...good, incoming: { ...good.incoming, username } })),
        ...bad.texts.map((username) => ({ ...good, outgoing: { ...good.outgoing, username } })),
        ...bad.texts.map((displayName) => ({ ...good, displayName })),
        ...bad.hostnames.map((hostname) => ({ ...good, incoming: { ...good.incoming, hostname } })),
        ...bad.ports.map((port) => ({ ...good, outgoing: { ...good.outgoing, port } })),
        { ...good, address: 'no-at-sign' },
        { ...good, incoming: { ...good.incoming, protocol: 'smtp' } },
        { ...good, outgoing: { ...good.outgoing, protocol: 'pop3' } },
        { ...good, incoming: { ...good.incoming, security: 'plain' } },
        { ...good, extra: true },
      ];
      for (const argument of cases) await refusedByBoth('create', argument);
      expect(await mailPrefs(tb)).toEqual(before);
    }, 60000);
  });

  describe('verifyLogin', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      // Accepts and never says a word: no greeting, no TLS handshake.
      silent = createServer((socket) => {
        sockets.push(socket);
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent?.close(resolve));
    });

    test('a server that accepts and never answers: false within the time limit, and the probe is gone', async () => {
      const port = (silent.address() as { port: number }).port;
      const server = { protocol: 'imap', hostname: 'imap.example.test', port, security: 'tls', username: 'slow@example.test' };
      const started = Date.now();
      const answer = await viaPage('verifyLogin', server, 'secret', 2000);
      const elapsed = Date.now() - started;
      expect(answer).toEqual({ value: false });
      expect(elapsed).toBeGreaterThanOrEqual(2000);
      expect(elapsed).toBeLessThan(6000);
      // It did connect (without the limit the answer came after mailnews.tcptimeout, 100 s, here).
      expect(sockets.length).toBeGreaterThan(0);
      const probes = await tb.marionette.executeAsync<number>(`
        const [port, done] = arguments;
        const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
        done(MailServices.accounts.allServers.filter((s) => s.port === port).length);
      `, [port]);
      expect(probes).toBe(0);
    }, 30000);

    test('cancelLogins (the popup\'s Cancel) stops a check under way: false at once, and the probe is gone', async () => {
      const port = (silent.address() as { port: number }).port;
      const server = { protocol: 'imap', hostname: 'imap.example.test', port, security: 'tls', username: 'cancel@example.test' };
      const answer = await tb.marionette.executeAsync<{ value?: unknown; elapsedMs?: number; probes?: number; error?: string }>(`
        const [id, serverJson, port, done] = arguments;
        ${PAGE_HELPERS}
        (async () => {
          const page = await openPage(id, 'popup/options.html');
          const win = page.doc.defaultView.wrappedJSObject;
          const api = win.browser.srvAutoconfigAccounts;
          const started = Date.now();
          const pending = api.verifyLogin(win.JSON.parse(serverJson), 'secret', 20000);
          await sleep(500);
          await api.cancelLogins();
          const value = await pending;
          const elapsedMs = Date.now() - started;
          page.close();
          const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
          done({ value, elapsedMs, probes: MailServices.accounts.allServers.filter((s) => s.port === port).length });
        })().catch((e) => done({ error: String(e) }));
      `, [tb.addonId, JSON.stringify(server), port]);
      expect(answer).toMatchObject({ value: false, probes: 0 });
      expect(answer.elapsedMs).toBeLessThan(3000);
    }, 30000);

    test('its own arguments are checked too (host, port, security, time limit, allMethods)', async () => {
      const server = { ...incoming, username: 'x@example.test' };
      for (const args of [[{ ...server, hostname: 'a b' }, 'pw'], [{ ...server, port: 70000 }, 'pw'],
        [{ ...server, protocol: 'smtp' }, 'pw'],
        [{ ...server, username: 'x\r\n' }, 'pw'], [server, 'pw\r\nA1 LOGOUT'], [server, 'pw', 0], [{ ...server, extra: 1 }, 'pw'],
        [server, 'pw', 2000, 'yes']]) {
        expect(await viaPage('verifyLogin', ...args), JSON.stringify(args)).toHaveProperty('error');
        expect(await viaImplementation('verifyLogin', ...args), JSON.stringify(args)).toEqual({ value: false });
      }
    }, 30000);
  });

  test('update never edits an SMTP server another identity uses: this identity gets its own, the other keeps its server', async () => {
    const accountId = await created('share@example.test');
    // A second account whose identity sends through the same SMTP server, as Thunderbird's settings allow.
    const other = await tb.marionette.executeAsync<{ identityKey: string; smtpKey: string }>(`
      const [accountId, done] = arguments;
      const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
      const smtpKey = MailServices.accounts.getAccount(accountId).defaultIdentity.smtpServerKey;
      const identity = MailServices.accounts.createIdentity();
      identity.email = 'other@example.test';
      identity.smtpServerKey = smtpKey;
      const server = MailServices.accounts.createIncomingServer('other', 'pop.invalid', 'pop3');
      server.doBiff = false;
      server.loginAtStartUp = false;
      const account = MailServices.accounts.createAccount();
      account.addIdentity(identity);
      account.incomingServer = server;
      done({ identityKey: identity.key, smtpKey });
    `, [accountId]);
    const answer = await viaPage('update', accountId, {
      outgoing: { protocol: 'smtp', hostname: 'mail.example.test', port: 587, security: 'starttls' },
    });
    expect(answer).toEqual({ value: { ok: true } });
    const after = await tb.marionette.executeAsync<Record<string, unknown>>(`
      const [accountId, otherIdentity, sharedKey, done] = arguments;
      const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
      const describe = (key) => {
        const server = MailServices.outgoingServer.getServerByKey(key);
        const smtp = server.QueryInterface(Ci.nsISmtpServer);
        return {
          key, hostname: smtp.hostname, port: smtp.port, socketType: server.socketType,
          username: server.username, authMethod: server.authMethod,
        };
      };
      const mine = MailServices.accounts.getAccount(accountId).defaultIdentity.smtpServerKey;
      const theirs = MailServices.accounts.getIdentity(otherIdentity).smtpServerKey;
      done({ mine: describe(mine), theirs: describe(theirs), shared: describe(sharedKey) });
    `, [accountId, other.identityKey, other.smtpKey]);
    // nsMsgSocketType 2 = alwaysSTARTTLS, 3 = SSL; nsMsgAuthMethod 3 = passwordCleartext.
    const login = { username: 'share@example.test', authMethod: 3 };
    const original = { key: other.smtpKey, hostname: 'smtp.example.test', port: 465, socketType: 3, ...login };
    expect(after.theirs).toEqual(original);
    expect(after.shared).toEqual(original);
    const own = expect.not.stringMatching(`^${other.smtpKey}$`);
    expect(after.mine).toEqual({ key: own, hostname: 'mail.example.test', port: 587, socketType: 2, ...login });
    // Its own server, used by no one else, is then edited where it is: no new server each time.
    const back = { outgoing: { protocol: 'smtp', hostname: 'smtp.example.test', port: 465, security: 'tls' } };
    expect(await viaPage('update', accountId, back)).toEqual({ value: { ok: true } });
    const servers = await tb.marionette.executeAsync<string[]>(`
      const [accountId, done] = arguments;
      const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
      const mine = MailServices.accounts.getAccount(accountId).defaultIdentity.smtpServerKey;
      done([mine, ...MailServices.outgoingServer.servers.map((s) => s.key)]);
    `, [accountId]);
    expect(servers[0]).toBe((after.mine as { key: string }).key);
    expect(new Set(servers.slice(1)).size).toBe(servers.length - 1);
  }, 30000);

  test('update never moves an incoming server onto another account\'s server and username (they would share one folder tree)', async () => {
    const moving = await created('mover@example.test');
    await created('stay@example.test', { incoming: { ...incoming, hostname: 'imap2.example.test', username: 'mover@example.test' } });
    const before = await mailPrefs(tb);
    const target = { protocol: 'imap', hostname: 'IMAP2.example.test', port: 993, security: 'tls' };
    expect(await viaPage('update', moving, { incoming: target })).toEqual({ value: { ok: false, reason: 'account-exists' } });
    expect(await mailPrefs(tb)).toEqual(before);
  }, 30000);

  describe('an address that already has an account, on a real IMAP server (dovecot)', () => {
    let imap: ImapServer;
    let accountId: string;
    beforeAll(async () => {
      const users = { dora: 'correct horse', erin: 'battery staple' };
      imap = await startImapServer(inject('stateDir'), users, { host: 'imap.taken.test', port: TAKEN_PORT });
      expect(await useResolver(tb, inject('dohUrl'))).toBe('saved');
      const server = { hostname: 'imap.taken.test', port: TAKEN_PORT, security: 'tls', username: 'dora' };
      accountId = await created('dora@taken.test', {
        incoming: { protocol: 'imap', ...server },
        outgoing: { protocol: 'smtp', ...server, hostname: 'smtp.taken.test', port: 10465 },
        password: 'correct horse', rememberPassword: true,
      });
    }, 60000);
    afterAll(async () => imap?.stop());

    /** The real account's root folder as Thunderbird's folder lookup and folder pane see it, and the mail folder's files. */
    const state = () => tb.marionette.executeAsync<{ lookup: string | null; row: boolean; files: string[] }>(`
      const [accountId, done] = arguments;
      ${PAGE_HELPERS}
      (async () => {
        const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
        const root = MailServices.accounts.getAccount(accountId).incomingServer.rootFolder;
        const found = MailServices.folderLookup.getFolderForURL(root.URI);
        const win = Services.wm.getMostRecentWindow('mail:3pane');
        const about3Pane = win.gTabmail.tabInfo[0].chromeBrowser.contentWindow;
        const pane = () => about3Pane.folderPane;
        const row = await until(() => pane() && pane()._modes && pane().getRowForFolder(root.URI, 'all'),
          'the folder pane row', 3000).catch(() => null);
        const dir = Services.dirsvc.get('ProfD', Ci.nsIFile);
        dir.append('ImapMail');
        const files = dir.exists() ? [...dir.directoryEntries].map((f) => f.leafName).sort() : [];
        done({ lookup: found ? found.server.key : null, row: Boolean(row), files });
      })().catch((e) => done({ lookup: 'script error: ' + e, row: false, files: [] }));
    `, [accountId]);

    test('"Create account" with a password is refused before any login, and the existing account keeps its folders and files', async () => {
      const before = await state();
      expect(before.row).toBe(true);
      const serverKey = before.lookup;
      const log = imap.log().length;
      expect((await createThroughPopup(tb, 'dora@taken.test', { password: 'correct horse' })).status)
        .toBe('Thunderbird already has an account for this address.');
      expect(await state()).toEqual({ lookup: serverKey, row: true, files: before.files });
      // No probe reached the server: the real account never logs in with the full address, a probe would try it first.
      expect(imap.log().slice(log)).not.toMatch(/dora@taken\.test/);
    }, 90000);

    test('a probe for the same server and username as a real account is refused without connecting', async () => {
      const before = await state();
      const log = imap.log().length;
      const server = { protocol: 'imap', hostname: 'imap.taken.test', port: TAKEN_PORT, security: 'tls', username: 'dora' };
      const answers = [
        await viaPage('verifyLogin', server, 'correct horse'),
        await viaPage('verifyLogin', { ...server, hostname: 'IMAP.Taken.Test' }, 'correct horse'),
      ];
      expect(await state()).toEqual(before);
      expect(answers).toEqual([{ value: false }, { value: false }]);
      expect(imap.log().slice(log)).not.toMatch(/Login: user=<dora>|passwd-file\(dora/);
    }, 60000);

    test('probes for other usernames on the same host, failing and succeeding, leave no files or prefs behind', async () => {
      const before = await state();
      const prefs = await mailPrefs(tb);
      const server = { protocol: 'imap', hostname: 'imap.taken.test', port: TAKEN_PORT, security: 'tls' };
      expect(await viaPage('verifyLogin', { ...server, username: 'dora@taken.test' }, 'correct horse')).toEqual({ value: false });
      expect(await viaPage('verifyLogin', { ...server, username: 'erin' }, 'battery staple')).toEqual({ value: true });
      expect(await state()).toEqual(before);
      expect(await mailPrefs(tb)).toEqual(prefs);
    }, 60000);
  });
});
