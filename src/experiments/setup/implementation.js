/* global ExtensionCommon, ExtensionUtils, ChromeUtils, Ci, Cu, Services */
// Parent-side Experiment: adds the add-on's RFC 6186 discovery to Thunderbird's own account set-up
// (ESR 153 account hub, views/email.mjs). It wraps FindConfig.parallelAutoDiscovery, the async generator
// the hub asks for a configuration; the wrapper lets Thunderbird's own search run unchanged and, unless
// that search found the profile's isp/ file or the domain's own autoconfig file, hands the hub the
// add-on's SRV result (asked from the background through onDiscover) as Thunderbird's own AccountConfig.
// Servers nothing vouches for (docs/trust.md) are put to the user through the hub's own "confirm sending
// credentials to this host" view. For those offers it also wraps ConfigVerifier's verifyConfig: a full address
// Thunderbird's own login check refuses is followed by the local-part (RFC 6186 §4). Only while a listener is
// registered and setActive(true) was called; the original functions are put back when either stops and on shutdown
// or disable.
'use strict';

const FIND_CONFIG = 'resource:///modules/accountcreation/FindConfig.sys.mjs';
const ACCOUNT_CONFIG = 'resource:///modules/accountcreation/AccountConfig.sys.mjs';
const CREATION_UTILS = 'resource:///modules/accountcreation/AccountCreationUtils.sys.mjs';
const CONFIG_VERIFIER = 'resource:///modules/accountcreation/ConfigVerifier.sys.mjs';
const OAUTH2_PROVIDERS = 'resource:///modules/OAuth2Providers.sys.mjs';

// What Thunderbird found first-hand (the profile's isp/ folder, the domain's own autoconfig file) wins
// over SRV; the ISP database, MX guess, Exchange autodiscover and guessing rank below it.
const FIRST_HAND = new Set(['xml-from-disk', 'xml-from-isp-https', 'xml-from-isp-http']);
// The background's answer is awaited at most this long; after that Thunderbird's own result stands.
const ASK_LIMIT_MS = 45000;
// RFC 1123 §2.1 labels, RFC 1035 §2.3.4 lengths, RFC 3696 §2 a top label never all-numeric (no IP literals),
// at least two labels: the same check as the accounts Experiment.
const LDH_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)(?:${LDH_LABEL}\\.)+(?=[A-Za-z0-9-]*[A-Za-z])${LDH_LABEL}$`);
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const state = {
  listener: null, active: false, original: null, wrapper: null, buildAccountConfig: null, verifyOriginal: null, verifyWrapper: null,
};

/** A server from the background, checked again here: only SSL/TLS or STARTTLS (RFC 8314), never plain. */
function isServer(server, protocols) {
  return typeof server === 'object' && server !== null && protocols.includes(server.protocol)
    && typeof server.hostname === 'string' && HOSTNAME.test(server.hostname)
    && Number.isInteger(server.port) && server.port >= 1 && server.port <= 65535
    && (server.security === 'tls' || server.security === 'starttls');
}

function isOffer(offer, address) {
  const incoming = ['imap', 'pop3'];
  return typeof offer === 'object' && offer !== null
    && typeof offer.address === 'string' && offer.address.toLowerCase() === address.toLowerCase()
    && Array.isArray(offer.usernames) && offer.usernames.length > 0
    && offer.usernames.every((u) => typeof u === 'string' && u.length > 0 && u.length <= 255 && !CONTROL.test(u))
    && isServer(offer.incoming, incoming) && isServer(offer.outgoing, ['smtp'])
    && Array.isArray(offer.incomingAlternatives) && offer.incomingAlternatives.every((s) => isServer(s, incoming))
    && Array.isArray(offer.outgoingAlternatives) && offer.outgoingAlternatives.every((s) => isServer(s, ['smtp']))
    && Array.isArray(offer.unverifiedHosts) && offer.unverifiedHosts.every((h) => typeof h === 'string' && HOSTNAME.test(h))
    && Array.isArray(offer.vouchedHosts) && offer.vouchedHosts.every((h) => typeof h === 'string' && HOSTNAME.test(h))
    && Array.isArray(offer.oauth2OnlyHosts) && offer.oauth2OnlyHosts.every((h) => typeof h === 'string' && HOSTNAME.test(h));
}

/**
 * The offer without servers that take only OAuth2 (RFC 7628) from a provider Thunderbird does not know: a password
 * prompt for them cannot work. Null when a chosen server is one of them: Thunderbird's own result stands.
 */
function withoutUnusable(offer) {
  const { OAuth2Providers } = ChromeUtils.importESModule(OAUTH2_PROVIDERS);
  const usable = (ref) => !offer.oauth2OnlyHosts.includes(ref.hostname)
    || Boolean(OAuth2Providers.getHostnameDetails(ref.hostname, ref.protocol));
  if (!usable(offer.incoming) || !usable(offer.outgoing)) return null;
  return {
    ...offer,
    incomingAlternatives: offer.incomingAlternatives.filter(usable),
    outgoingAlternatives: offer.outgoingAlternatives.filter(usable),
  };
}

/**
 * RFC 6186 §6 (docs/trust.md): the servers the user must confirm, as "host:port". Every offered host must be one the
 * background named as vouched for or as unverified; null when one is neither (a bug: the offer is not used), so no
 * slip on the background's side can skip the question.
 */
function serversToConfirm(offer) {
  const servers = [offer.incoming, offer.outgoing, ...offer.incomingAlternatives, ...offer.outgoingAlternatives];
  const unverified = (s) => offer.unverifiedHosts.includes(s.hostname);
  if (!servers.every((s) => unverified(s) || offer.vouchedHosts.includes(s.hostname))) return null;
  return [...new Set(servers.filter(unverified).map((s) => `${s.hostname}:${s.port}`))];
}

/** Thunderbird's own AccountConfig for the offer: what the hub shows, verifies and creates (the shared builder). */
function toAccountConfig(offer, domain, own) {
  const config = state.buildAccountConfig({
    domain,
    // RFC 6186 §4: the full address first.
    username: offer.usernames[0],
    incoming: offer.incoming,
    outgoing: offer.outgoing,
    incomingAlternatives: offer.incomingAlternatives,
    outgoingAlternatives: offer.outgoingAlternatives,
  });
  // RFC 6186 §4: the names to try, for the local-part fallback of Thunderbird's own login check (withLocalPart).
  config.srvAutoconfigUsernames = [...offer.usernames];
  // An Exchange server Thunderbird's own autodiscover found stays on offer beside them.
  const exchange = own ? [own.incoming, ...(own.incomingAlternatives || [])].find((i) => i && i.type === 'exchange') : undefined;
  if (exchange) config.incomingAlternatives.push(exchange);
  return config;
}

/** The background's offer for `address`, checked; null when there is none or it does not answer in time. */
async function askBackground(listener, address) {
  const { setTimeout, clearTimeout } = ChromeUtils.importESModule('resource://gre/modules/Timer.sys.mjs');
  let timer;
  try {
    const offer = await Promise.race([
      Promise.resolve().then(() => listener(address)),
      new Promise((resolve) => (timer = setTimeout(() => resolve(null), ASK_LIMIT_MS))),
    ]);
    return offer && isOffer(offer, address) ? offer : null;
  } catch (error) {
    console.error('SRV Autoconfig: discovery for account set-up failed', error);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function withSrv(original) {
  return async function* parallelAutoDiscovery(domain, emailAddress, abortSignal, ...rest) {
    const { AccountCreationUtils } = ChromeUtils.importESModule(CREATION_UTILS);
    const { AccountConfig } = ChromeUtils.importESModule(ACCOUNT_CONFIG);
    const listener = state.active ? state.listener : null;
    // Asked at once, so the DNS answers arrive while Thunderbird's own search runs.
    const asked = listener === null ? Promise.resolve(null) : askBackground(listener, emailAddress);
    let own = null;
    let failure = null;
    try {
      // Thunderbird's own search, with its own redirect questions passed through unchanged.
      own = yield* original.call(this, domain, emailAddress, abortSignal, ...rest);
    } catch (error) {
      if (abortSignal.aborted || error instanceof AccountCreationUtils.CancelledException) throw error;
      failure = error;
    }
    const theirs = () => {
      if (failure !== null) throw failure;
      return own;
    };
    if (abortSignal.aborted || (own && own.source === AccountConfig.kSourceXML && FIRST_HAND.has(own.subSource))) return theirs();
    const answered = await asked;
    const offer = answered === null ? null : withoutUnusable(answered);
    const confirm = offer === null ? null : serversToConfirm(offer);
    if (confirm === null || abortSignal.aborted) return theirs();
    if (confirm.length > 0) {
      // RFC 6186 §6: a target outside the domain that nothing vouches for is used only if the user says so.
      const feedback = yield { isRedirect: true, host: confirm.join(', '), scheme: 'https' };
      if (!feedback || feedback.acceptRedirect !== true) return theirs();
    }
    return toAccountConfig(offer, domain, own);
  };
}

/**
 * RFC 6186 §4 in Thunderbird's own login check: the hub verifies an SRV offer (an XML-sourced config) with one name
 * only, the full address. When ConfigVerifier refuses that name as a login failure (its "cannot log in" message, not a
 * certificate, network or server error), the local-part is the next and last try, in the same check: the hub then
 * takes the username that worked. Other configs pass through unchanged.
 */
function withLocalPart(original) {
  return async function verifyConfig(config, alter, ...rest) {
    const names = config && config.subSource === 'xml-from-srv' ? config.srvAutoconfigUsernames : undefined;
    const next = Array.isArray(names) && names.length > 1 && config.incoming.username === names[0]
      && config.incoming.auth !== Ci.nsMsgAuthMethod.OAuth2 ? names[1] : null;
    if (next === null) return original.call(this, config, alter, ...rest);
    try {
      return await original.call(this, config, alter, ...rest);
    } catch (error) {
      const { ConfigVerifier } = ChromeUtils.importESModule(CONFIG_VERIFIER);
      const { Localization } = Cu.getGlobalForObject(ConfigVerifier);
      const refused = new Localization(['messenger/accountcreation/accountCreation.ftl'], true).formatValueSync('cannot-login-error');
      if (this.signal.aborted || !error || error.message !== refused) throw error;
      config.incoming.username = next;
      if (config.outgoing.username === names[0]) config.outgoing.username = next;
      // Its failure took its abort listener off (cleanup()): the user's Cancel must reach this try too.
      this.signal.addEventListener('abort', this, { once: true });
      return original.call(this, config, alter, ...rest);
    }
  };
}

/** Wraps or unwraps ConfigVerifier's verifyConfig with the FindConfig hook. */
function syncVerifier(wanted) {
  const { ConfigVerifier } = ChromeUtils.importESModule(CONFIG_VERIFIER);
  if (wanted && state.verifyOriginal === null) {
    state.verifyOriginal = ConfigVerifier.prototype.verifyConfig;
    state.verifyWrapper = withLocalPart(state.verifyOriginal);
    ConfigVerifier.prototype.verifyConfig = state.verifyWrapper;
  } else if (!wanted && state.verifyOriginal !== null) {
    if (ConfigVerifier.prototype.verifyConfig === state.verifyWrapper) ConfigVerifier.prototype.verifyConfig = state.verifyOriginal;
    state.verifyOriginal = null;
    state.verifyWrapper = null;
  }
}

/** Wraps or unwraps FindConfig.parallelAutoDiscovery to match the state. */
function sync() {
  const { FindConfig } = ChromeUtils.importESModule(FIND_CONFIG);
  const wanted = state.active && state.listener !== null;
  if (wanted && state.original === null) {
    state.original = FindConfig.parallelAutoDiscovery;
    state.wrapper = withSrv(state.original);
    FindConfig.parallelAutoDiscovery = state.wrapper;
  } else if (!wanted && state.original !== null) {
    // Put back only our own wrapper; one somebody wrapped around it stays, and ours then passes through.
    if (FindConfig.parallelAutoDiscovery === state.wrapper) FindConfig.parallelAutoDiscovery = state.original;
    state.original = null;
    state.wrapper = null;
  }
  syncVerifier(wanted);
}

var srvAutoconfigSetup = class extends ExtensionCommon.ExtensionAPIPersistent {
  PERSISTENT_EVENTS = {
    // Persistent: the listener stays primed while the background sleeps, and a call wakes it.
    onDiscover({ fire }) {
      state.listener = async (address) => {
        if (fire.wakeup) await fire.wakeup();
        return fire.async(address);
      };
      sync();
      return {
        unregister: () => {
          state.listener = null;
          sync();
        },
        convert(newFire) {
          fire = newFire;
        },
      };
    },
  };

  onShutdown(isAppShutdown) {
    state.listener = null;
    state.active = false;
    if (!isAppShutdown) sync();
  }

  getAPI(context) {
    // The AccountConfig builder the popup's "Create account" uses too (src/experiments/shared/account-config.js).
    const scope = { ChromeUtils, Ci };
    // As Thunderbird loads the Experiment's own script (ExtensionCommon's loadModule): the add-on's file, so an unsafe URL.
    Services.scriptloader.loadSubScriptWithOptions(this.extension.rootURI.resolve('dist/experiments/shared/account-config.js'), {
      target: scope,
      allowUnsafeURL: true,
    });
    state.buildAccountConfig = scope.buildAccountConfig;
    return {
      srvAutoconfigSetup: {
        onDiscover: new ExtensionCommon.EventManager({
          context,
          module: 'srvAutoconfigSetup',
          event: 'onDiscover',
          extensionApi: this,
        }).api(),
        setActive: async (active) => {
          if (typeof active !== 'boolean') throw new ExtensionUtils.ExtensionError('setActive takes a boolean');
          state.active = active;
          sync();
          return state.original !== null;
        },
      },
    };
  }
};
