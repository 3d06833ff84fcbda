/* global ExtensionCommon, ExtensionUtils, ChromeUtils, Ci, Cc, Cr, Cu, Services */
// Parent-side Experiment for the server probe (RFC 6186 §6 via RFC 6125 §6): line-based connections to
// mail servers over Thunderbird's own socket transport and TLS stack, reporting what its certificate
// validation and trust store found, as GuessConfig.sys.mjs and Pop3Client.sys.mjs (ESR 153) connect. The
// dialogue is the add-on core's; nothing here sends a command of its own, and no credential passes through.
'use strict';

/* exported srvAutoconfigProbe */

// The argument checks: schema.json checks the same, this is the second line for anything that reaches the
// parent another way. Top-level declarations, so Node can test them (test/experiments/probe/arguments.test.ts).
var PROBE_LIMITS = Object.freeze({
  // RFC 1035 §2.3.4: 253 octets of name in text form, 63 per label.
  maxHostOctets: 253,
  maxLabelOctets: 63,
  // Every connection ends within maxTimeoutMs, whatever the caller asks or the server does.
  minTimeoutMs: 100,
  maxTimeoutMs: 60000,
  // RFC 5321 §4.5.3.1.5: a reply line of 512 octets; IMAP/POP3 capability lines can be longer, so allow up to 64 KiB.
  minLineOctets: 64,
  maxLineOctets: 65536,
  // RFC 5321 §4.5.3.1.4: a command line of at most 512 octets with CRLF; IMAP and POP3 commands of a probe are shorter.
  maxWriteOctets: 510,
  // Connections one add-on may hold open at once: two servers, plus alternatives on request.
  maxOpen: 16,
});

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Host names only (RFC 1123 §2.1 letters, digits, hyphens): no IP literals, no all-numeric top label. */
function hostError(host) {
  if (typeof host !== 'string') return 'host must be a string';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > PROBE_LIMITS.maxHostOctets) return `host must be 1–${PROBE_LIMITS.maxHostOctets} octets`;
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length > PROBE_LIMITS.maxLabelOctets) return `host label over ${PROBE_LIMITS.maxLabelOctets} octets`;
    if (!LABEL.test(label)) return `host label "${label}" is not letters, digits and inner hyphens`;
  }
  // RFC 3696 §2: a top-level name is never all-numeric, so this is an address, not a host name.
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return 'host must be a name, not an address';
  return null;
}

/** Octets of `text` in UTF-8 (a lone surrogate becomes U+FFFD, three octets), without relying on the scope's TextEncoder. */
function utf8Length(text) {
  let octets = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0);
    octets += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return octets;
}

const integerIn = (value, min, max) => Number.isInteger(value) && value >= min && value <= max;

/** Why a call's arguments are refused, or null: `what` is the function name. */
function probeArgumentError(what, args) {
  switch (what) {
    case 'connect': {
      const request = args[0];
      if (typeof request !== 'object' || request === null) return 'connect needs a request object';
      const error = hostError(request.host);
      if (error !== null) return error;
      if (!integerIn(request.port, 1, 65535)) return 'port must be an integer 1–65535';
      if (typeof request.tls !== 'boolean') return 'tls must be true or false';
      if (!integerIn(request.timeoutMs, PROBE_LIMITS.minTimeoutMs, PROBE_LIMITS.maxTimeoutMs)) {
        return `timeoutMs must be an integer ${PROBE_LIMITS.minTimeoutMs}–${PROBE_LIMITS.maxTimeoutMs}`;
      }
      if (!integerIn(request.maxLineOctets, PROBE_LIMITS.minLineOctets, PROBE_LIMITS.maxLineOctets)) {
        return `maxLineOctets must be an integer ${PROBE_LIMITS.minLineOctets}–${PROBE_LIMITS.maxLineOctets}`;
      }
      return null;
    }
    case 'writeLine': {
      const [id, line] = args;
      if (!integerIn(id, 1, Number.MAX_SAFE_INTEGER)) return 'id must be a connection id';
      if (typeof line !== 'string') return 'line must be a string';
      // A line break or NUL inside would let one call smuggle a second command (RFC 5321 §4.1.1, RFC 9051 §2.2).
      if (/[\r\n\0]/.test(line)) return 'line must not hold CR, LF or NUL';
      if (utf8Length(line) > PROBE_LIMITS.maxWriteOctets) return `line over ${PROBE_LIMITS.maxWriteOctets} octets`;
      return null;
    }
    case 'readLine':
    case 'startTls':
    case 'close':
      return integerIn(args[0], 1, Number.MAX_SAFE_INTEGER) ? null : 'id must be a connection id';
    case 'knowsOAuth2':
      return hostError(args[0]) ?? (['imap', 'pop3', 'smtp'].includes(args[1]) ? null : 'protocol must be imap, pop3 or smtp');
    default:
      return `unknown function ${String(what)}`;
  }
}

var srvAutoconfigProbe = class extends ExtensionCommon.ExtensionAPI {
  onShutdown() {
    for (const connection of this.connections?.values() ?? []) connection.fail('closed', 'the add-on shut down');
    this.connections?.clear();
  }

  getAPI(context) {
    const timers = ChromeUtils.importESModule('resource://gre/modules/Timer.sys.mjs');
    const { setTimeout, clearTimeout } = timers;
    // The Experiment's sandbox has no TextEncoder/TextDecoder; the modules' shared global has.
    const { TextEncoder, TextDecoder } = Cu.getGlobalForObject(timers);
    const sts = Cc['@mozilla.org/network/socket-transport-service;1'].getService(Ci.nsISocketTransportService);
    const nssErrors = Cc['@mozilla.org/nss_errors_service;1'].getService(Ci.nsINSSErrorsService);
    const WPL = Ci.nsIWebProgressListener;
    this.connections ??= new Map();
    const connections = this.connections;
    // Ids are unique across the add-on's pages, as the connections map is shared by them.
    const api = this;
    api.lastId ??= 0;

    // nsITransportSecurityInfo.protocolVersion, in the names node:tls uses.
    const VERSIONS = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
    // nsITransportSecurityInfo.overridableErrorCategory: what a user's certificate exception covers.
    const CATEGORIES = ['ERROR_UNSET', 'ERROR_TRUST', 'ERROR_DOMAIN', 'ERROR_TIME'];
    // A chain this large is no certificate a mail server needs; its octets never cross to the add-on.
    const MAX_CHAIN_OCTETS = 1 << 20;
    const HANDSHAKE_POLL_MS = 10;

    // NSS errors get their name from the security info in handshake(); here the nsresult's own name.
    const errorName = (status) => Object.keys(Cr).find((name) => Cr[name] === status) ?? `0x${(status >>> 0).toString(16)}`;

    /** The closed set of ConnectionFailure reasons (src/core/probe/connection.ts) for an nsresult. */
    const reasonOf = (status) => {
      switch (status) {
        case Cr.NS_ERROR_CONNECTION_REFUSED:
        case Cr.NS_ERROR_PROXY_CONNECTION_REFUSED:
        case Cr.NS_ERROR_UNKNOWN_HOST:
        case Cr.NS_ERROR_UNKNOWN_PROXY_HOST:
          return 'connect-refused';
        case Cr.NS_ERROR_NET_TIMEOUT:
          return 'connect-timeout';
        case Cr.NS_ERROR_NET_RESET:
        case Cr.NS_ERROR_NET_INTERRUPT:
          return 'connect-reset';
        default:
          return nssErrors.isNSSErrorCode(status) ? 'tls-handshake-failed' : 'closed';
      }
    };

    const base64 = (bytes) => ChromeUtils.base64URLEncode(bytes, { pad: true });

    // As GuessConfig's doProxy: Thunderbird's mail connections honour a SOCKS proxy and nothing else.
    const resolveProxy = (host) => new Promise((resolve) => {
      const pps = Cc['@mozilla.org/network/protocol-proxy-service;1'].getService(Ci.nsIProtocolProxyService);
      let flags = Ci.nsIProtocolProxyService.RESOLVE_IGNORE_URI_SCHEME | Ci.nsIProtocolProxyService.RESOLVE_PREFER_SOCKS_PROXY;
      if (Services.prefs.getBoolPref('network.proxy.socks_remote_dns', false)) flags |= Ci.nsIProtocolProxyService.RESOLVE_ALWAYS_TUNNEL;
      pps.asyncResolve(Services.io.newURI(`http://${host}`), flags, {
        onProxyAvailable: (request, uri, proxy) => resolve(proxy && ['socks', 'socks4'].includes(proxy.type) ? proxy : null),
      });
    });

    class Connection {
      constructor(id, request, proxy) {
        this.id = id;
        this.max = request.maxLineOctets;
        this.buffer = new Uint8Array(0);
        this.failure = null;
        this.pending = null;
        // Whoever waits on the streams (a read, a write), woken at once by a failure.
        this.wakers = new Set();
        this.transport = sts.createTransport(request.tls ? ['ssl'] : ['starttls'], request.host, request.port, proxy, null);
        // The transport's own limits (whole seconds) sit past the deadline below, which is the one that speaks.
        const seconds = Math.ceil(request.timeoutMs / 1000) + 1;
        this.transport.setTimeout(Ci.nsISocketTransport.TIMEOUT_CONNECT, seconds);
        this.transport.setTimeout(Ci.nsISocketTransport.TIMEOUT_READ_WRITE, seconds);
        this.input = this.transport.openInputStream(0, 0, 0).QueryInterface(Ci.nsIAsyncInputStream);
        this.output = this.transport.openOutputStream(0, 0, 0).QueryInterface(Ci.nsIAsyncOutputStream);
        this.binary = Cc['@mozilla.org/binaryinputstream;1'].createInstance(Ci.nsIBinaryInputStream);
        this.binary.setInputStream(this.input);
        // One deadline for the whole connection: whatever the server does, every call ends by then.
        this.timer = setTimeout(() => this.fail('connect-timeout', `no answer within ${request.timeoutMs} ms`), request.timeoutMs);
        this.connected = new Promise((resolve) => {
          this.transport.setEventSink({
            onTransportStatus: (transport, status) => {
              if (status === Ci.nsISocketTransport.STATUS_CONNECTED_TO) resolve();
            },
          }, Services.tm.mainThread);
          this.onFailure = resolve;
        });
      }

      /** The first failure wins and ends the connection; later calls report it. */
      fail(reason, detail) {
        if (this.failure === null) this.failure = { ok: false, reason, detail };
        clearTimeout(this.timer);
        try {
          this.transport.close(Cr.NS_BINDING_ABORTED);
        } catch {
          // Already closed.
        }
        this.onFailure?.();
        for (const wake of this.wakers) wake();
        this.wakers.clear();
      }

      /** A handshake failure named by the security info, in place of the bare nsresult the read saw first. */
      refuse(detail) {
        this.fail('tls-handshake-failed', detail);
        this.failure = { ok: false, reason: 'tls-handshake-failed', detail };
      }

      failWith(status) {
        this.fail(reasonOf(status), errorName(status));
      }

      /** Waits until the input stream has news (octets, end or error) and takes in what fits the line bound. */
      fill() {
        if (this.failure !== null) return Promise.resolve();
        if (this.pending === null) {
          this.pending = new Promise((resolve) => {
            this.wakers.add(resolve);
            this.input.asyncWait({
              onInputStreamReady: () => {
                this.pending = null;
                this.wakers.delete(resolve);
                this.take();
                resolve();
              },
            }, 0, 0, Services.tm.mainThread);
          });
        }
        return this.pending;
      }

      take() {
        if (this.failure !== null) return;
        try {
          // Never more than one line's bound ahead: a flood stops at max + 2 octets (line-too-long).
          const room = this.max + 2 - this.buffer.length;
          const count = Math.max(1, Math.min(this.input.available(), room));
          const chunk = new ArrayBuffer(count);
          const read = this.binary.readArrayBuffer(count, chunk);
          if (read === 0) {
            this.fail('closed', 'the server closed the connection');
            return;
          }
          const joined = new Uint8Array(this.buffer.length + read);
          joined.set(this.buffer);
          joined.set(new Uint8Array(chunk, 0, read), this.buffer.length);
          this.buffer = joined;
        } catch (error) {
          // A TLS record without application data (e.g. a TLS 1.3 session ticket) wakes the stream too.
          if (error.result === Cr.NS_BASE_STREAM_WOULD_BLOCK) return;
          if (error.result === Cr.NS_BASE_STREAM_CLOSED) this.fail('closed', 'the server closed the connection');
          else this.failWith(error.result ?? Cr.NS_ERROR_FAILURE);
        }
      }

      async readLine() {
        for (;;) {
          const lf = this.buffer.indexOf(0x0a);
          // RFC 5321 §2.3.8, RFC 9051 §2.2: lines end in CRLF; a bare LF is read as one too.
          const end = lf > 0 && this.buffer[lf - 1] === 0x0d ? lf - 1 : lf;
          if ((lf < 0 && this.buffer.length >= this.max + 2) || end > this.max) {
            this.fail('line-too-long', `a line over ${this.max} octets`);
            return this.failure;
          }
          if (lf >= 0) {
            const line = new TextDecoder().decode(this.buffer.subarray(0, end));
            this.buffer = this.buffer.subarray(lf + 1);
            return { ok: true, line };
          }
          if (this.failure !== null) return this.failure;
          await this.fill();
        }
      }

      async writeLine(line) {
        if (this.failure !== null) return this.failure;
        const bytes = new TextEncoder().encode(`${line}\r\n`);
        let text = '';
        for (const byte of bytes) text += String.fromCharCode(byte);
        while (text.length > 0) {
          try {
            const written = this.output.write(text, text.length);
            text = text.slice(written);
          } catch (error) {
            if (error.result !== Cr.NS_BASE_STREAM_WOULD_BLOCK) {
              this.failWith(error.result ?? Cr.NS_ERROR_FAILURE);
              return this.failure;
            }
          }
          if (text.length > 0) {
            await new Promise((resolve) => {
              this.wakers.add(resolve);
              this.output.asyncWait({
                onOutputStreamReady: () => {
                  this.wakers.delete(resolve);
                  resolve();
                },
              }, 0, 0, Services.tm.mainThread);
            });
            if (this.failure !== null) return this.failure;
          }
        }
        return { ok: true };
      }

      /**
       * Waits for the TLS handshake and reads what Thunderbird's certificate validation found. A pending
       * read drives the handshake (nothing else would after STARTTLS: the server waits for the client).
       */
      async handshake() {
        let info = null;
        for (;;) {
          this.fill();
          const control = this.transport.tlsSocketControl;
          info = control ? await control.asyncGetSecurityInfo() : null;
          if (info && (info.serverCert || info.errorCode !== 0)) break;
          if (this.failure !== null) return this.failure;
          await new Promise((resolve) => setTimeout(resolve, HANDSHAKE_POLL_MS));
        }
        const presented = info.handshakeCertificates.map((cert) => cert.getRawDER());
        if (presented.reduce((sum, der) => sum + der.length, 0) > MAX_CHAIN_OCTETS) {
          this.refuse(`a certificate chain over ${MAX_CHAIN_OCTETS} octets`);
          return this.failure;
        }
        if (info.errorCode !== 0 && presented.length === 0) {
          this.refuse(info.errorCodeString || `NSS error ${info.errorCode}`);
          return this.failure;
        }
        const chain = presented.map((der) => base64(new Uint8Array(der)));
        if (info.errorCode !== 0) {
          // NSS ends the handshake on a certificate it refuses; only an exception the user adds lets it go on.
          this.refuse(`Thunderbird refused the certificate (${info.errorCodeString}) and goes no further without an exception`);
          return { ok: true, tls: { version: 'unknown', authorized: false, error: info.errorCodeString, userException: false, chain } };
        }
        const userException = (info.securityState & WPL.STATE_CERT_USER_OVERRIDDEN) !== 0;
        const authorized = (info.securityState & WPL.STATE_IS_SECURE) !== 0 && !userException;
        const error = authorized ? null : (CATEGORIES[info.overridableErrorCategory] ?? 'ERROR_UNSET');
        let version = 'unknown';
        try {
          version = VERSIONS[info.protocolVersion] ?? 'unknown';
        } catch {
          // NS_ERROR_NOT_AVAILABLE before the handshake has finished: not reached here.
        }
        return { ok: true, tls: { version, authorized, error, userException, chain } };
      }

      async startTls() {
        if (this.failure !== null) return this.failure;
        // RFC 3207 §4.2, RFC 9051 §6.2.1: nothing the server sent before the handshake counts afterwards.
        this.buffer = new Uint8Array(0);
        try {
          await this.transport.tlsSocketControl.asyncStartTLS();
        } catch (error) {
          this.failWith(error.result ?? Cr.NS_ERROR_FAILURE);
          return this.failure;
        }
        return this.handshake();
      }
    }

    // An exception reaches the add-on as "An unexpected error occurred" unless it is an ExtensionError.
    const checked = (what, fn) => async (...args) => {
      const refused = probeArgumentError(what, args);
      if (refused !== null) throw new ExtensionUtils.ExtensionError(`srvAutoconfigProbe.${what}: ${refused}`);
      try {
        return await fn(...args);
      } catch (error) {
        if (error instanceof ExtensionUtils.ExtensionError) throw error;
        throw new ExtensionUtils.ExtensionError(`srvAutoconfigProbe.${what}: ${error && error.message ? error.message : String(error)}`);
      }
    };
    const connection = (id) => {
      const found = connections.get(id);
      return found && found.owner === context ? found : null;
    };
    const gone = { ok: false, reason: 'closed', detail: 'no such connection (closed or timed out)' };

    // A page that goes away (the popup closed) takes its connections with it.
    context.callOnClose({
      close: () => {
        for (const [id, c] of connections) {
          if (c.owner !== context) continue;
          c.fail('closed', 'the page closed');
          connections.delete(id);
        }
      },
    });

    return {
      srvAutoconfigProbe: {
        connect: checked('connect', async (request) => {
          // A failed connection stays until closed, so its reads keep saying why; an open one counts against the bound.
          for (const [id, c] of connections) if (c.failure !== null && connections.size >= PROBE_LIMITS.maxOpen) connections.delete(id);
          if (connections.size >= PROBE_LIMITS.maxOpen) {
            throw new ExtensionUtils.ExtensionError(`srvAutoconfigProbe.connect: over ${PROBE_LIMITS.maxOpen} connections open`);
          }
          const proxy = await resolveProxy(request.host);
          const c = new Connection(++api.lastId, request, proxy);
          c.owner = context;
          connections.set(c.id, c);
          c.fill(); // reports a refused or reset connection, and drives an implicit-TLS handshake
          const result = request.tls ? await c.handshake() : await c.connected.then(() => c.failure ?? { ok: true });
          if (!result.ok) connections.delete(c.id);
          return result.ok ? { ok: true, id: c.id, ...(result.tls ? { tls: result.tls } : {}) } : result;
        }),
        readLine: checked('readLine', async (id) => (connection(id) ? connection(id).readLine() : gone)),
        writeLine: checked('writeLine', async (id, line) => (connection(id) ? connection(id).writeLine(line) : gone)),
        startTls: checked('startTls', async (id) => (connection(id) ? connection(id).startTls() : gone)),
        close: checked('close', async (id) => {
          connection(id)?.fail('closed', 'closed by the add-on');
          if (connection(id)) connections.delete(id);
        }),
        // Thunderbird's own OAuth2 provider registry, as its account set-up asks it (OAuth2Providers.sys.mjs).
        knowsOAuth2: checked('knowsOAuth2', async (hostname, protocol) => {
          const { OAuth2Providers } = ChromeUtils.importESModule('resource:///modules/OAuth2Providers.sys.mjs');
          return Boolean(OAuth2Providers.getHostnameDetails(hostname, protocol));
        }),
      },
    };
  }
};
