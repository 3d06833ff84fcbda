/* global ExtensionCommon, ExtensionUtils, ChromeUtils, Ci, Cc, Components, Services */
// Parent-side Experiment: creates accounts the way Thunderbird's own CreateInBackend.sys.mjs does
// (ESR 153), checks logins with the server's own verifyLogon, and lists accounts. Kept small: all
// decisions (which settings, which username order, refusals) are made by the add-on's core.
'use strict';

var srvAutoconfigAccounts = class extends ExtensionCommon.ExtensionAPI {
  getAPI() {
    const { MailServices } = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');

    // Never plain text: SSL/TLS or STARTTLS required (RFC 8314; DESIGN §3).
    const socketType = (security) => (security === 'tls' ? Ci.nsMsgSocketType.SSL : Ci.nsMsgSocketType.alwaysSTARTTLS);
    const securityOf = (type) => (type === Ci.nsMsgSocketType.SSL ? 'tls' : type === Ci.nsMsgSocketType.alwaysSTARTTLS ? 'starttls' : 'plain');

    const hasAddress = (address) => {
      const wanted = address.toLowerCase();
      return MailServices.accounts.allIdentities.some((identity) => (identity.email || '').toLowerCase() === wanted);
    };

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

    // An exception in here reaches the add-on as "An unexpected error occurred" unless it is an
    // ExtensionError: pass the message on, so a failure says what failed.
    const explained = (fn) => async (...args) => {
      try {
        return await fn(...args);
      } catch (error) {
        throw new ExtensionUtils.ExtensionError(`srvAutoconfigAccounts: ${error && error.message ? error.message : String(error)}`);
      }
    };

    return {
      srvAutoconfigAccounts: {
        create: explained(async (account) => {
          if (account.incoming.protocol === 'smtp' || account.outgoing.protocol !== 'smtp') return { ok: false, reason: 'account-bad-settings' };
          if (hasAddress(account.address)) return { ok: false, reason: 'account-exists' };
          const incoming = MailServices.accounts.createIncomingServer(account.incoming.username, account.incoming.hostname, account.incoming.protocol);
          incoming.port = account.incoming.port;
          incoming.socketType = socketType(account.incoming.security);
          incoming.authMethod = Ci.nsMsgAuthMethod.passwordCleartext; // "normal password", inside TLS
          incoming.prettyName = account.address;
          incoming.valid = true;

          const outgoing = MailServices.outgoingServer.createServer('smtp');
          const smtp = outgoing.QueryInterface(Ci.nsISmtpServer);
          smtp.hostname = account.outgoing.hostname;
          smtp.port = account.outgoing.port;
          outgoing.socketType = socketType(account.outgoing.security);
          outgoing.authMethod = Ci.nsMsgAuthMethod.passwordCleartext;
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

        verifyLogin(server, password) {
          return new Promise((resolve) => {
            // A throwaway server object, removed again whatever the outcome (as ConfigVerifier does).
            const probe = MailServices.accounts.createIncomingServer(server.username, server.hostname, server.protocol);
            probe.port = server.port;
            probe.socketType = socketType(server.security);
            probe.authMethod = Ci.nsMsgAuthMethod.passwordCleartext;
            probe.password = password;
            const done = (ok) => {
              try {
                probe.closeCachedConnections();
                MailServices.accounts.removeIncomingServer(probe, true);
              } catch (e) {
                console.warn('srv-autoconfig: could not remove the login probe', e);
              }
              resolve(ok);
            };
            const listener = {
              QueryInterface: ChromeUtils.generateQI(['nsIUrlListener']),
              OnStartRunningUrl() {},
              OnStopRunningUrl(url, status) {
                done(Components.isSuccessCode(status));
              },
            };
            try {
              const uri = probe.verifyLogon(listener, null);
              if (uri instanceof Ci.nsIMsgMailNewsUrl) uri.msgWindow = null; // no password prompt
            } catch (e) {
              done(false);
            }
          });
        },

        // Moves an account's servers to the given settings (the add-on asked the user first).
        update: explained(async (accountId, servers) => {
          const account = MailServices.accounts.getAccount(accountId);
          if (!account || !account.incomingServer) return { ok: false };
          if (servers.incoming) {
            const incoming = account.incomingServer;
            if (incoming.type !== servers.incoming.protocol) return { ok: false }; // never IMAP<->POP3 here
            incoming.hostname = servers.incoming.hostname;
            incoming.port = servers.incoming.port;
            incoming.socketType = socketType(servers.incoming.security);
          }
          const identity = account.defaultIdentity;
          if (servers.outgoing && identity && identity.smtpServerKey) {
            const outgoing = MailServices.outgoingServer.getServerByKey(identity.smtpServerKey);
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
            const outgoing = identity.smtpServerKey ? MailServices.outgoingServer.getServerByKey(identity.smtpServerKey) : MailServices.outgoingServer.defaultServer;
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
