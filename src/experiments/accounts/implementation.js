/* global ExtensionCommon, ExtensionUtils, ChromeUtils, Ci, Cc, Components, Services */
// Parent-side Experiment: creates accounts the way Thunderbird's own CreateInBackend.sys.mjs does
// (ESR 153), checks logins with the server's own verifyLogon, and lists accounts. Kept small: all
// decisions (which settings, which username order, refusals) are made by the add-on's core.
'use strict';

/** Login probes under way, by type://username@host: two at once would share a folder URI too. */
const probing = new Set();

var srvAutoconfigAccounts = class extends ExtensionCommon.ExtensionAPI {
  getAPI() {
    const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');
    const { setTimeout, clearTimeout } = ChromeUtils.importESModule('resource://gre/modules/Timer.sys.mjs');

    // Never plain text: SSL/TLS or STARTTLS required (RFC 8314).
    const socketType = (security) => (security === 'tls' ? Ci.nsMsgSocketType.SSL : Ci.nsMsgSocketType.alwaysSTARTTLS);
    // A host Thunderbird knows as an OAuth2 provider's signs in with OAuth2, as in Thunderbird's own set-up;
    // any other with "normal password", inside TLS.
    const { OAuth2Providers } = ChromeUtils.importESModule('resource:///modules/OAuth2Providers.sys.mjs');
    const authFor = (hostname, type) =>
      (OAuth2Providers.getHostnameDetails(hostname, type) ? Ci.nsMsgAuthMethod.OAuth2 : Ci.nsMsgAuthMethod.passwordCleartext);
    const securityOf = (type) => (type === Ci.nsMsgSocketType.SSL ? 'tls' : type === Ci.nsMsgSocketType.alwaysSTARTTLS ? 'starttls' : 'plain');

    // Every argument is checked here again, whatever the schema let through: this code writes the user's
    // accounts with Thunderbird's privileges. One function, one answer: null, or the reason to refuse.
    // Host names: RFC 1123 §2.1 labels, RFC 1035 §2.3.4 lengths; no control or line-separator characters
    // (C0, DEL, C1, U+2028, U+2029) in anything Thunderbird stores or writes into a protocol line.
    const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
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
      verifyLogin: (server, password, timeoutMs) =>
        isServer(server, INCOMING, { username: true }) && isPassword(password)
        && (absent(timeoutMs) || Number.isInteger(timeoutMs) && timeoutMs >= PROBE_LIMIT_MS.min && timeoutMs <= PROBE_LIMIT_MS.max),
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

    // The getter throws when there is no Local Folders account yet (as CreateInBackend.sys.mjs handles it).
    const hasLocalFolders = () => {
      try {
        return Boolean(MailServices.accounts.localFoldersServer);
      } catch {
        return false;
      }
    };

    async function rememberPassword(origin, username, password) {
      const login = Cc['@mozilla.org/login-manager/loginInfo;1'].createInstance(Ci.nsILoginInfo);
      login.init(origin, null, origin, username, password, '', '');
      await Services.logins.addLoginAsync(login);
    }

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
     * Logs in once with a throwaway server object, as ConfigVerifier.sys.mjs does, but one that can never be
     * mistaken for a real account: refused when a server with the same type, username and host exists, its
     * local files in a fresh temporary folder removed afterwards, and given up after `timeoutMs`.
     */
    async function probeLogin(server, password, timeoutMs) {
      const name = serverIdentity(server.protocol, server.username, server.hostname);
      if (probing.has(name) || serverTaken(server.protocol, server.username, server.hostname)) return false;
      probing.add(name);
      const folder = Services.dirsvc.get('TmpD', Ci.nsIFile);
      folder.append('srv-autoconfig-probe');
      folder.createUnique(Ci.nsIFile.DIRECTORY_TYPE, 0o700);
      let probe = null;
      let timer = null;
      try {
        probe = MailServices.accounts.createIncomingServer(server.username, server.hostname, server.protocol);
        // Before anything asks for it: else Thunderbird makes <ImapMail|Mail>/<host>[-n] in the profile.
        const local = folder.clone();
        local.append('mail');
        probe.localPath = local;
        probe.port = server.port;
        probe.socketType = socketType(server.security);
        probe.authMethod = Ci.nsMsgAuthMethod.passwordCleartext;
        probe.password = password;
        return await new Promise((resolve) => {
          // A server that accepts and never answers held "Creating the account…" for mailnews.tcptimeout (100 s).
          timer = setTimeout(() => resolve(false), timeoutMs);
          const listener = {
            QueryInterface: ChromeUtils.generateQI(['nsIUrlListener']),
            OnStartRunningUrl() {},
            OnStopRunningUrl(url, status) {
              resolve(Components.isSuccessCode(status));
            },
          };
          const uri = probe.verifyLogon(listener, null);
          if (uri instanceof Ci.nsIMsgMailNewsUrl) uri.msgWindow = null; // no password prompt
        });
      } catch (e) {
        console.warn('srv-autoconfig: the login probe failed', e);
        return false;
      } finally {
        if (timer !== null) clearTimeout(timer);
        try {
          if (probe !== null) {
            probe.closeCachedConnections();
            MailServices.accounts.removeIncomingServer(probe, true);
          }
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
          const incoming = MailServices.accounts.createIncomingServer(account.incoming.username, account.incoming.hostname, account.incoming.protocol);
          incoming.port = account.incoming.port;
          incoming.socketType = socketType(account.incoming.security);
          incoming.authMethod = authFor(account.incoming.hostname, account.incoming.protocol);
          incoming.prettyName = account.address;
          incoming.valid = true;

          const outgoing = MailServices.outgoingServer.createServer('smtp');
          const smtp = outgoing.QueryInterface(Ci.nsISmtpServer);
          smtp.hostname = account.outgoing.hostname;
          smtp.port = account.outgoing.port;
          outgoing.socketType = socketType(account.outgoing.security);
          outgoing.authMethod = authFor(account.outgoing.hostname, 'smtp');
          outgoing.username = account.outgoing.username;
          if (!MailServices.outgoingServer.defaultServer) MailServices.outgoingServer.defaultServer = outgoing;

          const identity = MailServices.accounts.createIdentity();
          identity.email = account.address;
          if (account.displayName) identity.fullName = account.displayName;
          identity.smtpServerKey = outgoing.key;
          identity.valid = true;

          if (account.rememberPassword && account.password) {
            await rememberPassword(`${incoming.localStoreType}://${account.incoming.hostname}`, account.incoming.username, account.password);
            await rememberPassword(`smtp://${account.outgoing.hostname}`, account.outgoing.username, account.password);
          }

          const created = MailServices.accounts.createAccount();
          created.addIdentity(identity);
          created.incomingServer = incoming; // last, as CreateInBackend does: it triggers the folder set-up
          if (!hasLocalFolders()) MailServices.accounts.createLocalMailAccount();
          MailServices.accounts.saveAccountInfo();
          return { ok: true, accountId: created.key };
        }),

        // Whether an identity already has this address: asked before any login probe.
        hasAccount: explained(async (address) => argumentProblem('hasAccount', address) === null && hasAddress(address)),

        verifyLogin: explained(async (server, password, timeoutMs) => {
          if (argumentProblem('verifyLogin', server, password, timeoutMs) !== null) return false;
          return probeLogin(server, password, timeoutMs ?? PROBE_LIMIT_MS.default);
        }),

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
            return [{
              accountId: account.key,
              address: identity.email,
              incoming: { protocol: server.type, hostname: server.hostname, port: server.port, security: securityOf(server.socketType), username: server.username },
              outgoing: smtp ? { protocol: 'smtp', hostname: smtp.hostname, port: smtp.port, security: securityOf(outgoing.socketType), username: outgoing.username || '' } : null,
            }];
          });
        }),
      },
    };
  }
};
