/* global ChromeUtils, Ci */
// Thunderbird's own AccountConfig (resource:///modules/accountcreation/AccountConfig.sys.mjs) for servers the add-on
// found: the one builder behind both the account hub (src/experiments/setup) and the popup's "Create account"
// (src/experiments/accounts), so an account looks the same whichever way it was made. Loaded with loadSubScript
// into a scope that holds ChromeUtils and Ci (loadAccountConfigBuilder in each implementation); the caller has
// checked every server already.
'use strict';

/**
 * @param {{ domain: string, username: string, incoming: object, outgoing: object,
 *   incomingAlternatives?: object[], outgoingAlternatives?: object[] }} spec servers as {protocol, hostname, port, security}
 */
function buildAccountConfig(spec) {
  const { AccountConfig } = ChromeUtils.importESModule('resource:///modules/accountcreation/AccountConfig.sys.mjs');
  const { OAuth2Providers } = ChromeUtils.importESModule('resource:///modules/OAuth2Providers.sys.mjs');
  const config = new AccountConfig();
  config.source = AccountConfig.kSourceXML;
  config.subSource = 'xml-from-srv';
  config.id = `srv-${spec.domain}`;
  config.displayName = spec.domain;
  config.domains = [spec.domain];
  const server = (ref) => {
    const s = ref.protocol === 'smtp' ? config.createNewOutgoing() : config.createNewIncoming();
    s.type = ref.protocol;
    s.hostname = ref.hostname;
    s.port = ref.port;
    // Never plain text: SSL/TLS or STARTTLS required (RFC 8314).
    s.socketType = ref.security === 'tls' ? Ci.nsMsgSocketType.SSL : Ci.nsMsgSocketType.alwaysSTARTTLS;
    s.username = spec.username;
    // A host Thunderbird knows as an OAuth2 provider's signs in with OAuth2, as its own ISP files say; any other
    // with "normal password", inside TLS.
    const oauth2 = OAuth2Providers.getHostnameDetails(ref.hostname, ref.protocol);
    s.auth = oauth2 ? Ci.nsMsgAuthMethod.OAuth2 : Ci.nsMsgAuthMethod.passwordCleartext;
    return s;
  };
  config.incoming = server(spec.incoming);
  config.outgoing = server(spec.outgoing);
  config.incomingAlternatives = (spec.incomingAlternatives || []).map(server);
  config.outgoingAlternatives = (spec.outgoingAlternatives || []).map(server);
  return config;
}
