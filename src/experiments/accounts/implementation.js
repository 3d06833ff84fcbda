/* global ExtensionCommon, ExtensionUtils, ChromeUtils, Ci, Cu, Services */
// Parent-side Experiment: creates accounts with Thunderbird's own modules (ESR 153): the AccountConfig the account
// hub gets too (src/experiments/shared/account-config.js), made by CreateInBackend.createAccountInBackend and checked
// by ConfigVerifier, as the hub does; it also lists and moves accounts. Kept small: all decisions (which settings,
// which username order, refusals) are made by the add-on's core.
'use strict';

/** Login probes under way, by type://username@host: two at once would share a folder URI too. */
const probing = new Set();
/** Their abort controllers: cancelLogins() stops them all (the user pressed Cancel). */
const running = new Set();

var srvAutoconfigAccounts = class extends ExtensionCommon.ExtensionAPI {
  getAPI() {
    const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
    const { setTimeout, clearTimeout } = ChromeUtils.importESModule('resource://gre/modules/Timer.sys.mjs');

    const { ConfigVerifier } = ChromeUtils.importESModule('resource:///modules/accountcreation/ConfigVerifier.sys.mjs');
    const { CreateInBackend } = ChromeUtils.importESModule('resource:///modules/accountcreation/CreateInBackend.sys.mjs');
    // The one AccountConfig builder, shared with the account hub's (src/experiments/setup).
    const shared = { ChromeUtils, Ci };
    // As Thunderbird loads the Experiment's own script (ExtensionCommon's loadModule): the add-on's file, so an unsafe URL.
    Services.scriptloader.loadSubScriptWithOptions(this.extension.rootURI.resolve('dist/experiments/shared/account-config.js'), {
      target: shared,
      allowUnsafeURL: true,
    });
    const { buildAccountConfig } = shared;
    // Never plain text: SSL/TLS or STARTTLS required (RFC 8314).
    const socketType = (security) => (security === 'tls' ? Ci.nsMsgSocketType.SSL : Ci.nsMsgSocketType.alwaysSTARTTLS);
    const { OAuth2Providers } = ChromeUtils.importESModule('resource:///modules/OAuth2Providers.sys.mjs');
    // The Experiment's sandbox has no AbortController; Thunderbird's modules' shared global (ConfigVerifier's own) has.
    const { AbortController } = Cu.getGlobalForObject(MailServices);
    const securityOf = (type) =>
      type === Ci.nsMsgSocketType.SSL ? 'tls' : type === Ci.nsMsgSocketType.alwaysSTARTTLS ? 'starttls' : 'plain';

    // Every argument is checked here again, whatever the schema let through: this code writes the user's
    // accounts with Thunderbird's privileges. One function, one answer: null, or the reason to refuse.
    // Host names: RFC 1123 §2.1 labels, RFC 1035 §2.3.4 lengths; no control or line-separator characters
    // (C0, DEL, C1, U+2028, U+2029) in anything Thunderbird stores or writes into a protocol line.
    // RFC 3696 §2: the top label is never all-numeric, so an IPv4 literal is no host name, nor is one label (localhost).
    const LDH_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
    const HOSTNAME = new RegExp(`^(?=.{1,253}$)(?:${LDH_LABEL}\\.)+(?=[A-Za-z0-9-]*[A-Za-z])${LDH_LABEL}$`);
    const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
    const absent = (value) => value === undefined || value === null; // the schema passes a missing optional as undefined
    const isText = (value, max, { empty = false } = {}) =>
      typeof value === 'string' && (empty || value.length > 0) && value.length <= max && !CONTROL.test(value);
    // A password may hold any character but those that end a protocol line or a SASL PLAIN field (RFC 4616 §2).
    const isPassword = (value) => typeof value === 'string' && value.length <= 1024 && !/[\u0000\r\n]/.test(value);
    const hasOnly = (object, required, optional = []) =>
      typeof object === 'object' && object !== null && !Array.isArray(object)
      && required.every((key) => !absent(object[key]))
      && Object.keys(object).every((key) => required.includes(key) || optional.includes(key));
    const isServer = (server, protocols, { username }) =>
      hasOnly(server, ['protocol', 'hostname', 'port', 'security', ...(username ? ['username'] : [])])
      && protocols.includes(server.protocol)
      && typeof server.hostname === 'string' && HOSTNAME.test(server.hostname)
      && Number.isInteger(server.port) && server.port >= 1 && server.port <= 65535
      && (server.security === 'tls' || server.security === 'starttls')
      && (!username || isText(server.username, 255));
    const isAddress = (address) => {
      if (!isText(address, 254)) return false; // RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its brackets
      const at = address.lastIndexOf('@');
      return at > 0 && HOSTNAME.test(address.slice(at + 1));
    };
    const INCOMING = ['imap', 'pop3'];
    const PROBE_LIMIT_MS = { min: 500, max: 120000, default: 20000 };
    const CHECKS = {
      create: (account) =>
        hasOnly(account, ['address', 'incoming', 'outgoing'], ['displayName', 'password', 'rememberPassword'])
        && isAddress(account.address)
        && (absent(account.displayName) || isText(account.displayName, 256, { empty: true }))
        && isServer(account.incoming, INCOMING, { username: true })
        && isServer(account.outgoing, ['smtp'], { username: true })
        && (absent(account.password) || isPassword(account.password))
        && (absent(account.rememberPassword) || typeof account.rememberPassword === 'boolean'),
      verifyLogin: (server, password, timeoutMs, allMethods) =>
        isServer(server, INCOMING, { username: true }) && isPassword(password)
        && (absent(timeoutMs) || Number.isInteger(timeoutMs) && timeoutMs >= PROBE_LIMIT_MS.min && timeoutMs <= PROBE_LIMIT_MS.max)
        && (absent(allMethods) || typeof allMethods === 'boolean'),
      usesOAuth2: (server) => isServer(server, [...INCOMING, 'smtp'], { username: false }),
      update: (accountId, servers) =>
        isText(accountId, 64) && hasOnly(servers, [], ['incoming', 'outgoing'])
        && (absent(servers.incoming) || isServer(servers.incoming, INCOMING, { username: false }))
        && (absent(servers.outgoing) || isServer(servers.outgoing, ['smtp'], { username: false })),
      hasAccount: (address) => isText(address, 320), // 64-octet local-part, '@', 253-octet domain: never refused, only looked up
    };
    const argumentProblem = (method, ...args) => (CHECKS[method](...args) ? null : 'account-bad-settings');

    const hasAddress = (address) => {
      const wanted = address.toLowerCase();
      return MailServices.accounts.allIdentities.some((identity) => (identity.email || '').toLowerCase() === wanted);
    };

    // An incoming server's folders are known by type://username@host (nsIMsgIncomingServer.serverURI),
    // not by its key: a second server with the same three shares the folder tree and its removal takes
    // the real account's folders with it. `except` is the server being moved itself.
    const serverIdentity = (type, username, hostname) => `${type}://${username.toLowerCase()}@${hostname.toLowerCase()}`;
    const serverTaken = (type, username, hostname, except = null) =>
      MailServices.accounts.allServers.some((server) => (except === null || server.key !== except.key)
        && serverIdentity(server.type, server.username || '', server.hostname || '') === serverIdentity(type, username, hostname));

    // The identities that send through `outgoing`: those naming its key, and those naming none while it is the default.
    const identitiesUsing = (outgoing) => {
      const fallback = MailServices.outgoingServer.defaultServer;
      const isDefault = Boolean(fallback) && fallback.key === outgoing.key;
      return MailServices.accounts.allIdentities.filter((identity) =>
        (identity.smtpServerKey ? identity.smtpServerKey === outgoing.key : isDefault));
    };

    // An exception in here reaches the add-on as "An unexpected error occurred" unless it is an
    // ExtensionError: pass the message on, so a failure says what failed.
    const explained = (fn) => async (...args) => {
      try {
        return await fn(...args);
      } catch (error) {
        throw new ExtensionUtils.ExtensionError(`srvAutoconfigAccounts: ${error && error.message ? error.message : String(error)}`);
      }
    };

    /**
     * One login check with Thunderbird's own ConfigVerifier (as the account hub checks), on a throwaway server that can
     * never be mistaken for a real account: refused when a server with the same type, username and host exists (they
     * would share one folder tree), its files in a temporary folder removed afterwards, and given up after `timeoutMs` or
     * on cancelLogins().
     * IMAP with "normal password" tries AUTHENTICATE PLAIN, AUTHENTICATE LOGIN and LOGIN in turn, so a refused name
     * cost three refusals (each with the server's failure delay); the check sends the LOGIN command only (RFC 9051
     * §6.2.3, one attempt) unless `allMethods` (the server advertised LOGINDISABLED). POP3 has no such choice.
     */
    async function probeLogin(server, password, timeoutMs, allMethods) {
      const name = serverIdentity(server.protocol, server.username, server.hostname);
      if (probing.has(name) || serverTaken(server.protocol, server.username, server.hostname)) return false;
      probing.add(name);
      const folder = Services.dirsvc.get('TmpD', Ci.nsIFile);
      folder.append('srv-autoconfig-probe');
      folder.createUnique(Ci.nsIFile.DIRECTORY_TYPE, 0o700);
      const abort = new AbortController();
      running.add(abort);
      let verifier = null;
      let timer = null;
      try {
        const config = buildAccountConfig({
          domain: server.hostname, username: server.username, incoming: server, outgoing: { ...server, protocol: 'smtp' },
        });
        config.incoming.auth = server.protocol === 'imap' && !allMethods ? Ci.nsMsgAuthMethod.old : Ci.nsMsgAuthMethod.passwordCleartext;
        config.incoming.password = password;
        config.identity.emailAddress = server.username;
        // No message window: no password prompt, no certificate dialog parent of its own.
        verifier = new ConfigVerifier(null, abort.signal);
        // Its throwaway server keeps its files in a fresh temporary folder, set before the login asks for them: else
        // Thunderbird makes <ImapMail|Mail>/<host>-n(.msf) in the profile, and the .msf stays after the server is removed.
        // (Reading localPath would make the folder: it is set, never read.)
        const verifyLogon = verifier.verifyLogon;
        let placed = false;
        verifier.verifyLogon = function () {
          if (!placed) {
            const local = folder.clone();
            local.append('mail');
            this.server.localPath = local;
            placed = true;
          }
          return verifyLogon.call(this);
        };
        return await Promise.race([
          verifier.verifyConfig(config, false).then(() => true, () => false),
          // A server that accepts and never answers held "Creating the account…" for mailnews.tcptimeout (100 s).
          new Promise((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
            abort.signal.addEventListener('abort', () => resolve(false), { once: true });
          }),
        ]);
      } catch (e) {
        console.warn('srv-autoconfig: the login check failed', e);
        return false;
      } finally {
        if (timer !== null) clearTimeout(timer);
        running.delete(abort);
        try {
          // Connections first (the abort below removes the server), so none stays open to the mail server.
          if (verifier !== null && verifier.server) verifier.server.closeCachedConnections();
          if (!abort.signal.aborted) abort.abort();
          if (verifier !== null) verifier.cleanup();
          folder.remove(true);
        } catch (e) {
          console.warn('srv-autoconfig: could not remove the login probe', e);
        }
        probing.delete(name);
      }
    }

    return {
      srvAutoconfigAccounts: {
        create: explained(async (account) => {
          const problem = argumentProblem('create', account);
          if (problem !== null) return { ok: false, reason: problem };
          if (hasAddress(account.address) || serverTaken(account.incoming.protocol, account.incoming.username, account.incoming.hostname)) {
            return { ok: false, reason: 'account-exists' };
          }
          const domain = account.address.slice(account.address.lastIndexOf('@') + 1).toLowerCase();
          const config = buildAccountConfig({
            domain, username: account.incoming.username, incoming: account.incoming, outgoing: account.outgoing,
          });
          // What the hub's #fillAccountConfig (AccountConfig.replaceVariables) fills in, without its rules that the real
          // name is not empty (optional here) and the address has one "@" (a quoted local-part may hold more, RFC 5322).
          config.identity.emailAddress = account.address;
          config.identity.realname = account.displayName || '';
          config.outgoing.username = account.outgoing.username;
          if (account.password) config.incoming.password = config.outgoing.password = account.password;
          config.rememberPassword = Boolean(account.rememberPassword && account.password);
          // Server-side Sent, Drafts and Templates, mail checked at start-up: exactly as Thunderbird's dialog makes it.
          const created = await CreateInBackend.createAccountInBackend(config);
          return { ok: true, accountId: created.key };
        }),

        // Whether an identity already has this address: asked before any login probe.
        hasAccount: explained(async (address) => argumentProblem('hasAccount', address) === null && hasAddress(address)),

        verifyLogin: explained(async (server, password, timeoutMs, allMethods) => {
          if (argumentProblem('verifyLogin', server, password, timeoutMs, allMethods) !== null) return false;
          return probeLogin(server, password, timeoutMs ?? PROBE_LIMIT_MS.default, allMethods === true);
        }),

        // The user cancelled: every login check under way gives up at once (and answers false).
        cancelLogins: explained(async () => {
          for (const abort of [...running]) abort.abort();
        }),

        // Whether Thunderbird signs in to this host with OAuth2 (its own provider list): no password to check then.
        usesOAuth2: explained(async (server) => argumentProblem('usesOAuth2', server) === null
          && Boolean(OAuth2Providers.getHostnameDetails(server.hostname, server.protocol))),

        // Moves an account's servers to the given settings (the add-on asked the user first).
        update: explained(async (accountId, servers) => {
          const problem = argumentProblem('update', accountId, servers);
          if (problem !== null) return { ok: false, reason: problem };
          const account = MailServices.accounts.getAccount(accountId);
          if (!account || !account.incomingServer) return { ok: false, reason: 'account-nothing-to-update' };
          const incoming = account.incomingServer;
          const identity = account.defaultIdentity;
          // Every refusal before the first write.
          // Never IMAP<->POP3 here: the folders would not follow.
          if (servers.incoming && incoming.type !== servers.incoming.protocol) return { ok: false, reason: 'account-bad-settings' };
          if (servers.incoming && serverTaken(incoming.type, incoming.username || '', servers.incoming.hostname, incoming)) {
            return { ok: false, reason: 'account-exists' };
          }
          if (servers.outgoing && !identity) return { ok: false, reason: 'account-nothing-to-update' };

          if (servers.incoming) {
            incoming.hostname = servers.incoming.hostname;
            incoming.port = servers.incoming.port;
            incoming.socketType = socketType(servers.incoming.security);
          }
          if (servers.outgoing) {
            const current = MailServices.outgoingServer.getServerByIdentity(identity);
            // Another identity's mail must keep going where its user set it: a server shared with anyone
            // else is left alone and this identity gets its own, with the same login name and method.
            let outgoing = current;
            if (!current || identitiesUsing(current).some((other) => other.key !== identity.key)) {
              outgoing = MailServices.outgoingServer.createServer('smtp');
              outgoing.authMethod = current ? current.authMethod : Ci.nsMsgAuthMethod.passwordCleartext;
              if (current && current.username) outgoing.username = current.username;
              identity.smtpServerKey = outgoing.key;
            }
            const smtp = outgoing.QueryInterface(Ci.nsISmtpServer);
            smtp.hostname = servers.outgoing.hostname;
            smtp.port = servers.outgoing.port;
            outgoing.socketType = socketType(servers.outgoing.security);
          }
          MailServices.accounts.saveAccountInfo();
          return { ok: true };
        }),

        list: explained(async () => {
          return MailServices.accounts.accounts.flatMap((account) => {
            const identity = account.defaultIdentity;
            const server = account.incomingServer;
            if (!identity || !server || !['imap', 'pop3'].includes(server.type)) return [];
            const outgoing = MailServices.outgoingServer.getServerByIdentity(identity);
            const smtp = outgoing ? outgoing.QueryInterface(Ci.nsISmtpServer) : null;
            return [
              {
                accountId: account.key,
                address: identity.email,
                incoming: {
                  protocol: server.type,
                  hostname: server.hostname,
                  port: server.port,
                  security: securityOf(server.socketType),
                  username: server.username,
                },
                outgoing: smtp
                  ? {
                      protocol: 'smtp',
                      hostname: smtp.hostname,
                      port: smtp.port,
                      security: securityOf(outgoing.socketType),
                      username: outgoing.username || '',
                    }
                  : null,
              },
            ];
          });
        }),
      },
    };
  }
};
