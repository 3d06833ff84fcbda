// The server-probe Experiment (srvAutoconfigProbe) in Debian's Thunderbird, called from an add-on page, against
// real dovecot on 127.0.0.1 (certificates from the test CA, trusted in the profile) and small Node servers that
// misbehave: Thunderbird's own sockets, TLS stack and trust store decide, and a user's exception is reported as such.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startDovecotProbeServer, type DovecotProbeServer } from '../support/dovecot-probe.ts';
import { startProbeServers, type ProbeServers } from '../support/probe-servers.ts';
import { packageAddon, startThunderbird, type RunningThunderbird } from '../support/thunderbird.ts';

const HOSTS = ['imap.probe.test', 'wrong.probe.test', 'self.probe.test', 'exception.probe.test', 'expired.probe.test', 'silent.probe.test'];

interface Tls { version: string; authorized: boolean; error: string | null; userException: boolean; chain: string[] }
type Answer = { ok: true; id?: number; tls?: Tls; line?: string } | { ok: false; reason: string; detail: string } | { thrown: string };
interface Step { call: string; args: unknown[]; answer: Answer; ms: number }

/** A Node server on 127.0.0.1 that does `onConnection` with each client: the misbehaving peers. */
async function nodeServer(onConnection: (socket: Socket) => void): Promise<{ port: number; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return { port: address.port, server, sockets };
}

const der = (base64url: string): Buffer => Buffer.from(base64url, 'base64url');

describe('Thunderbird: the server probe Experiment', () => {
  let tb: RunningThunderbird;
  let xpiDir: string;
  let dovecot: DovecotProbeServer;
  let silent: Awaited<ReturnType<typeof nodeServer>>;
  let flood: Awaited<ReturnType<typeof nodeServer>>;
  let plain: Awaited<ReturnType<typeof nodeServer>>;
  let reset: Awaited<ReturnType<typeof nodeServer>>;
  let drip: Awaited<ReturnType<typeof nodeServer>>;
  let hangUp: Awaited<ReturnType<typeof nodeServer>>;
  let hugeChain: { port: number; server: Server };
  let closedPort: number;

  beforeAll(async () => {
    dovecot = await startDovecotProbeServer(inject('stateDir'), [
      { sni: 'imap.probe.test', names: ['imap.probe.test'] },
      { sni: 'wrong.probe.test', names: ['someone.else.test'] },
      { sni: 'self.probe.test', names: ['self.probe.test'], selfSigned: true },
      { sni: 'exception.probe.test', names: ['exception.probe.test'], selfSigned: true },
      { sni: 'expired.probe.test', names: ['expired.probe.test'], expired: true },
    ], { pop3: true });
    silent = await nodeServer(() => {});
    flood = await nodeServer((s) => s.write(`* OK ${'x'.repeat(5000)}\r\n`));
    plain = await nodeServer((s) => s.write('* OK plain text on the implicit-TLS port\r\n'));
    reset = await nodeServer((s) => s.write('* OK then a reset\r\n', () => setTimeout(() => s.resetAndDestroy(), 100)));
    drip = await nodeServer((s) => {
      s.write('* OK ');
      const timer = setInterval(() => s.write('x'), 100);
      s.on('close', () => clearInterval(timer));
    });
    hangUp = await nodeServer((s) => s.end('* OK half a line'));
    // A leaf from the test CA followed by 10 MB of copies of the CA certificate: no mail server's chain.
    const leaf = dovecot.certificate('imap.probe.test');
    const ca = readFileSync(inject('caFile'), 'utf8');
    const server = createTlsServer({
      key: dovecot.key('imap.probe.test'),
      cert: leaf + ca.repeat(Math.ceil(10e6 / ca.length)),
    }, (socket) => socket.end('* OK\r\n'));
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hugeChain = { port: (server.address() as { port: number }).port, server };
    const spare = await nodeServer(() => {});
    closedPort = spare.port;
    await new Promise((resolve) => spare.server.close(resolve));
    xpiDir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-xpi-'));
    tb = await startThunderbird({ caFile: inject('caFile'), xpi: packageAddon(xpiDir), dohUrl: inject('dohUrl') });
    // Thunderbird resolves mail hosts itself: the test names are loopback.
    await tb.marionette.executeAsync(`
      const [hosts, done] = arguments;
      Services.prefs.setCharPref('network.dns.localDomains', hosts.join(','));
      done(true);
    `, [HOSTS]);
  }, 90000);

  afterAll(async () => {
    await tb?.stop();
    await dovecot?.stop();
    await new Promise((resolve) => (hugeChain ? hugeChain.server.close(resolve) : resolve(undefined)));
    for (const s of [silent, flood, plain, reset, drip, hangUp]) {
      for (const socket of s?.sockets ?? []) socket.destroy();
      await new Promise((resolve) => (s ? s.server.close(resolve) : resolve(undefined)));
    }
    if (xpiDir) rmSync(xpiDir, { recursive: true, force: true });
  }, 30000);

  // Chrome-context helper: one add-on page (the options page in a tab), kept open across the tests.
  const PAGE = `
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    async function addonPage(id) {
      const win = Services.wm.getMostRecentWindow('mail:3pane');
      if (!win.__probePage || win.__probePage.closed) {
        let policy;
        for (let i = 0; i < 300 && !(policy = WebExtensionPolicy.getByID(id)); i++) await sleep(50);
        while (!win.gTabmail) await sleep(50);
        const hub = win.document.querySelector('account-hub-container');
        if (hub && hub.modal && hub.modal.open) hub.modal.close();
        const tab = win.gTabmail.openTab('contentTab', { url: policy.getURL('popup/options.html') });
        while (!(tab.browser.contentDocument && tab.browser.contentDocument.readyState === 'complete'
          && tab.browser.contentWindow.wrappedJSObject.browser)) await sleep(50);
        win.__probePage = tab.browser.contentWindow.wrappedJSObject;
      }
      return win.__probePage;
    }
  `;

  /**
   * Runs `steps` in order through browser.srvAutoconfigProbe from an add-on page. `$id` in an argument list
   * stands for the id of the last connection opened; each step reports its answer and how long it took.
   */
  function probe(steps: { call: string; args: unknown[] }[]): Promise<Step[]> {
    return tb.marionette.executeAsync<Step[]>(`
      const [id, stepsJson, done] = arguments;
      ${PAGE}
      (async () => {
        const page = await addonPage(id);
        const api = page.browser.srvAutoconfigProbe;
        const out = [];
        let last = 0;
        for (const step of JSON.parse(stepsJson)) {
          const args = step.args.map((a) => (a === '$id' ? last
            : a !== null && typeof a === 'object' ? page.JSON.parse(JSON.stringify(a)) : a));
          const start = Date.now();
          let answer;
          try {
            answer = JSON.parse(JSON.stringify((await api[step.call](...args)) ?? null));
          } catch (e) {
            answer = { thrown: String(e && e.message ? e.message : e) };
          }
          if (step.call === 'connect' && answer && answer.ok) last = answer.id;
          out.push({ call: step.call, args: step.args, answer, ms: Date.now() - start });
        }
        done(out);
      })().catch((e) => done([{ call: 'script', args: [], answer: { thrown: 'script error: ' + e }, ms: 0 }]));
    `, [tb.addonId, JSON.stringify(steps)]);
  }

  const request = (host: string, port: number, tls: boolean, timeoutMs = 5000, maxLineOctets = 4096) =>
    ({ host, port, tls, timeoutMs, maxLineOctets });
  const leafOf = (sni: string) => new X509Certificate(dovecot.certificate(sni)).raw;

  test('implicit TLS (RFC 8314): TLS 1.3, the chain validates against the profile\'s trust store, the greeting follows', async () => {
    const [connect, greeting, close] = await probe([
      { call: 'connect', args: [request('imap.probe.test', dovecot.imapsPort, true)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    expect(connect?.answer).toMatchObject({ ok: true, tls: { version: 'TLSv1.3', authorized: true, error: null, userException: false } });
    const chain = (connect?.answer as { tls: Tls }).tls.chain.map(der);
    expect(chain.length).toBeGreaterThan(0);
    expect(chain[0]?.[0]).toBe(0x30); // a DER SEQUENCE
    expect(chain[0]?.equals(leafOf('imap.probe.test'))).toBe(true);
    expect(greeting?.answer).toMatchObject({ ok: true, line: expect.stringMatching(/^\* OK \[CAPABILITY IMAP4rev1 .*\] Dovecot/) });
    expect(close?.answer).toBeNull();
    console.log(`implicit TLS connect + handshake: ${connect?.ms} ms`);
  });

  test('STARTTLS (RFC 9051 §6.2.1): plain greeting, a1 STARTTLS, OK, then the handshake validates; CAPABILITY over TLS', async () => {
    const steps = await probe([
      { call: 'connect', args: [request('imap.probe.test', dovecot.imapPort, false)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'writeLine', args: ['$id', 'a1 STARTTLS'] },
      { call: 'readLine', args: ['$id'] },
      { call: 'startTls', args: ['$id'] },
      { call: 'writeLine', args: ['$id', 'a2 CAPABILITY'] },
      { call: 'readLine', args: ['$id'] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    const answers = steps.map((s) => s.answer);
    expect(answers[0]).toEqual({ ok: true, id: expect.any(Number) });
    expect(answers[1]).toMatchObject({ ok: true, line: expect.stringMatching(/^\* OK \[CAPABILITY .*STARTTLS/) });
    expect(answers[2]).toEqual({ ok: true });
    expect(answers[3]).toMatchObject({ ok: true, line: expect.stringMatching(/^a1 OK/) });
    expect(answers[4]).toMatchObject({ ok: true, tls: { version: 'TLSv1.3', authorized: true, error: null, userException: false } });
    expect(der((answers[4] as { tls: Tls }).tls.chain[0] ?? '').equals(leafOf('imap.probe.test'))).toBe(true);
    expect(answers[6]).toMatchObject({ ok: true, line: expect.stringMatching(/^\* CAPABILITY IMAP4rev1 /) });
    expect((answers[6] as { line: string }).line).not.toContain('STARTTLS');
    expect(answers[7]).toMatchObject({ ok: true, line: expect.stringMatching(/^a2 OK/) });
    console.log(`plain connect: ${steps[0]?.ms} ms; startTls handshake: ${steps[4]?.ms} ms`);
  });

  test('POP3 (RFC 2595 §4, RFC 8314): STLS upgrades and validates; pop3s validates from the first byte', async () => {
    const steps = await probe([
      { call: 'connect', args: [request('imap.probe.test', dovecot.pop3Port, false)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'writeLine', args: ['$id', 'STLS'] },
      { call: 'readLine', args: ['$id'] },
      { call: 'startTls', args: ['$id'] },
      { call: 'writeLine', args: ['$id', 'CAPA'] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
      { call: 'connect', args: [request('imap.probe.test', dovecot.pop3sPort, true)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    const answers = steps.map((s) => s.answer);
    expect(answers[1]).toMatchObject({ ok: true, line: expect.stringMatching(/^\+OK /) });
    expect(answers[3]).toMatchObject({ ok: true, line: expect.stringMatching(/^\+OK /) });
    expect(answers[4]).toMatchObject({ ok: true, tls: { version: 'TLSv1.3', authorized: true, error: null, userException: false } });
    expect(answers[6]).toMatchObject({ ok: true, line: expect.stringMatching(/^\+OK/) });
    expect(answers[8]).toMatchObject({ ok: true, tls: { version: 'TLSv1.3', authorized: true, error: null, userException: false } });
    expect(answers[9]).toMatchObject({ ok: true, line: expect.stringMatching(/^\+OK /) });
  });

  test.each([
    { name: 'a certificate for another name', host: 'wrong.probe.test', error: 'SSL_ERROR_BAD_CERT_DOMAIN' },
    { name: 'a self-signed certificate', host: 'self.probe.test', error: 'MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT' },
    { name: 'an expired certificate', host: 'expired.probe.test', error: 'SEC_ERROR_EXPIRED_CERTIFICATE' },
  ])('$name does not validate: authorized false with Thunderbird\'s error code, the chain, nothing past it', async ({ host, error }) => {
    const [connect, read] = await probe([
      { call: 'connect', args: [request(host, dovecot.imapsPort, true)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    expect(connect?.answer).toMatchObject({ ok: true, tls: { authorized: false, error, userException: false } });
    expect(der((connect?.answer as { tls: Tls }).tls.chain[0] ?? '').equals(leafOf(host))).toBe(true);
    expect(read?.answer).toEqual({ ok: false, reason: 'tls-handshake-failed', detail: expect.stringContaining(error) });
  });

  test('after STARTTLS, a certificate for another name is reported the same way', async () => {
    const steps = await probe([
      { call: 'connect', args: [request('wrong.probe.test', dovecot.imapPort, false)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'writeLine', args: ['$id', 'a1 STARTTLS'] },
      { call: 'readLine', args: ['$id'] },
      { call: 'startTls', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    const refused = { authorized: false, error: 'SSL_ERROR_BAD_CERT_DOMAIN', userException: false };
    expect(steps[4]?.answer).toMatchObject({ ok: true, tls: refused });
  });

  test('a certificate exception the user added counts as what it is: userException true, authorized false', async () => {
    const added = await tb.marionette.executeAsync<boolean>(`
      const [host, port, base64, done] = arguments;
      const certdb = Cc['@mozilla.org/security/x509certdb;1'].getService(Ci.nsIX509CertDB);
      const cert = certdb.constructX509FromBase64(base64);
      const overrides = Cc['@mozilla.org/security/certoverride;1'].getService(Ci.nsICertOverrideService);
      overrides.rememberValidityOverride(host, port, {}, cert, false); // permanent, as the user's "Confirm Security Exception"
      done(overrides.hasMatchingOverride(host, port, {}, cert, {}));
    `, ['exception.probe.test', dovecot.imapsPort, leafOf('exception.probe.test').toString('base64')]);
    expect(added).toBe(true);
    const [connect, greeting] = await probe([
      { call: 'connect', args: [request('exception.probe.test', dovecot.imapsPort, true)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    const excepted = { version: 'TLSv1.3', authorized: false, error: 'ERROR_TRUST', userException: true };
    expect(connect?.answer).toMatchObject({ ok: true, tls: excepted });
    expect(der((connect?.answer as { tls: Tls }).tls.chain[0] ?? '').equals(leafOf('exception.probe.test'))).toBe(true);
    // Thunderbird goes on through the exception, so the dialogue does too.
    expect(greeting?.answer).toMatchObject({ ok: true, line: expect.stringMatching(/^\* OK /) });
  });

  test('a server that never answers: the read ends with connect-timeout within the time limit', async () => {
    const [connect, read] = await probe([
      { call: 'connect', args: [request('silent.probe.test', silent.port, false, 1000)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    expect(connect?.answer).toEqual({ ok: true, id: expect.any(Number) });
    expect(read?.answer).toEqual({ ok: false, reason: 'connect-timeout', detail: 'no answer within 1000 ms' });
    expect((connect?.ms ?? 0) + (read?.ms ?? 0)).toBeLessThan(1500);
  });

  test('implicit TLS to a server that never answers: connect itself ends with connect-timeout within the limit', async () => {
    const [connect] = await probe([{ call: 'connect', args: [request('silent.probe.test', silent.port, true, 1000)] }]);
    expect(connect?.answer).toEqual({ ok: false, reason: 'connect-timeout', detail: 'no answer within 1000 ms' });
    expect(connect?.ms).toBeLessThan(1500);
  });

  test('a line over the bound is line-too-long, and the connection stays failed', async () => {
    const [, read, again] = await probe([
      { call: 'connect', args: [request('silent.probe.test', flood.port, false, 5000, 1024)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    expect(read?.answer).toEqual({ ok: false, reason: 'line-too-long', detail: 'a line over 1024 octets' });
    expect(again?.answer).toEqual(read?.answer);
  });

  test('through Platform.connect (src/background/probe-experiment.ts and its glue, bundled): DER bytes, the signal', async () => {
    const bundle = await build({
      entryPoints: ['src/background/probe-experiment.ts'], bundle: true, format: 'iife', globalName: 'probeConnection',
      write: false, logLevel: 'silent', target: ['firefox128'],
    });
    const result = await tb.marionette.executeAsync<Record<string, unknown>>(`
      const [id, code, imapsPort, silentPort, done] = arguments;
      ${PAGE}
      (async () => {
        const page = await addonPage(id);
        // The adapter runs as page code, with the page's browser and AbortController, as in the background.
        const sandbox = Cu.Sandbox(page, { sandboxPrototype: page, wantXrays: false });
        Cu.evalInSandbox(code, sandbox);
        const scenario = Cu.evalInSandbox(\`(async (imapsPort, silentPort) => {
          const { connect } = probeConnection.lazyProbeGlue(browser);
          const request = (host, port, tls, signal) => ({ host, port, tls, signal, maxLineOctets: 4096 });
          const first = await connect(request('imap.probe.test', imapsPort, true, new AbortController().signal));
          const leaf = first.tls.chain[0];
          const greeting = await first.connection.readLine();
          first.connection.close();
          const controller = new AbortController();
          const second = await connect(request('silent.probe.test', silentPort, false, controller.signal));
          const started = Date.now();
          const pending = second.connection.readLine();
          setTimeout(() => controller.abort(), 200);
          const aborted = await pending;
          return JSON.stringify({
            authorized: first.tls.authorized, version: first.tls.version, isBytes: Object.prototype.toString.call(leaf),
            leafHex: Array.from(leaf, (b) => b.toString(16).padStart(2, '0')).join(''), greeting: greeting.line,
            aborted, abortedAfterMs: Date.now() - started,
          });
        })\`, sandbox);
        done(JSON.parse(await Cu.waiveXrays(scenario)(imapsPort, silentPort)));
      })().catch((e) => done({ error: 'script error: ' + e }));
    `, [tb.addonId, bundle.outputFiles[0]?.text, dovecot.imapsPort, silent.port]);
    expect(result).toMatchObject({ authorized: true, version: 'TLSv1.3', isBytes: '[object Uint8Array]' });
    expect(result.greeting).toMatch(/^\* OK /);
    expect(result.leafHex).toBe(leafOf('imap.probe.test').toString('hex'));
    expect(result.aborted).toEqual({ ok: false, reason: 'connect-timeout', detail: 'the probe\'s time limit ran out' });
    expect(result.abortedAfterMs).toBeLessThan(1000);
  });

  test('a reset after the greeting is connect-reset', async () => {
    const [, greeting, read] = await probe([
      { call: 'connect', args: [request('silent.probe.test', reset.port, false)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    expect(greeting?.answer).toEqual({ ok: true, line: '* OK then a reset' });
    expect(read?.answer).toEqual({ ok: false, reason: 'connect-reset', detail: 'NS_ERROR_NET_RESET' });
  });

  test('a server that drips one octet at a time, never ending the line, is stopped by the time limit', async () => {
    const [connect, read] = await probe([
      { call: 'connect', args: [request('silent.probe.test', drip.port, false, 1000)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    expect(read?.answer).toEqual({ ok: false, reason: 'connect-timeout', detail: 'no answer within 1000 ms' });
    expect((connect?.ms ?? 0) + (read?.ms ?? 0)).toBeLessThan(1500);
  });

  test('a server that hangs up in the middle of a line: closed', async () => {
    const [, read] = await probe([
      { call: 'connect', args: [request('silent.probe.test', hangUp.port, false)] },
      { call: 'readLine', args: ['$id'] },
      { call: 'close', args: ['$id'] },
    ]);
    expect(read?.answer).toEqual({ ok: false, reason: 'closed', detail: 'the server closed the connection' });
  });

  test('a 10 MB certificate chain ends in tls-handshake-failed, not a hang', async () => {
    const [connect] = await probe([{ call: 'connect', args: [request('imap.probe.test', hugeChain.port, true)] }]);
    expect(connect?.answer).toEqual({ ok: false, reason: 'tls-handshake-failed', detail: expect.stringMatching(/^SSL_ERROR_/) });
    console.log(`10 MB chain: ${JSON.stringify(connect?.answer)} after ${connect?.ms} ms`);
  });

  test('plain text on an implicit-TLS port (RFC 8314 §3.3) is tls-handshake-failed', async () => {
    const [connect] = await probe([{ call: 'connect', args: [request('silent.probe.test', plain.port, true)] }]);
    expect(connect?.answer).toEqual({ ok: false, reason: 'tls-handshake-failed', detail: 'SSL_ERROR_RX_RECORD_TOO_LONG' });
  });

  test('a closed port is connect-refused', async () => {
    const [connect] = await probe([{ call: 'connect', args: [request('imap.probe.test', closedPort, false)] }]);
    expect(connect?.answer).toEqual({ ok: false, reason: 'connect-refused', detail: 'NS_ERROR_CONNECTION_REFUSED' });
  });

  test('arguments are refused by the schema and again by the implementation', async () => {
    const steps = await probe([
      { call: 'connect', args: [request('imap.probe.test', 0, true)] },
      { call: 'connect', args: [request('127.0.0.1', 993, true)] },
      { call: 'connect', args: [request('imap.probe.test', 993, true, 600000)] },
      { call: 'connect', args: [request('imap.probe.test', dovecot.imapPort, false)] },
      { call: 'writeLine', args: ['$id', 'a1 NOOP\r\na2 LOGIN x y'] },
      { call: 'writeLine', args: ['$id', 'a'.repeat(511)] },
      { call: 'readLine', args: [999999] },
      { call: 'close', args: ['$id'] },
    ]);
    const thrown = steps.map((s) => (s.answer !== null && 'thrown' in s.answer ? s.answer.thrown : JSON.stringify(s.answer)));
    expect(thrown[0]).toMatch(/port/);
    expect(thrown[1]).toMatch(/host must be a name, not an address/);
    expect(thrown[2]).toMatch(/timeoutMs/);
    expect(thrown[4]).toMatch(/line/);
    expect(thrown[5]).toMatch(/line/);
    expect(steps[6]?.answer).toEqual({ ok: false, reason: 'closed', detail: 'no such connection (closed or timed out)' });
  });

  /**
   * What the add-on itself reports (RFC 6186 §6 via RFC 6125 §6, RFC 8314, RFC 7673 §3): the background's discover
   * answer (the handler the popup asks) for the probe zones of test/resolver/zones, against the servers of
   * test/support/probe-servers.ts (dovecot, postfix, hostile Node servers) through Thunderbird's own sockets and trust.
   */
  describe('the add-on: verifiedBy, the probe and the badge as the background reports them', () => {
    let servers: ProbeServers;
    beforeAll(async () => {
      servers = await startProbeServers(inject('stateDir'));
      // The add-on asks the test resolver, no fallback to public resolvers.
      await tb.marionette.executeAsync(`
        const [id, doh, done] = arguments;
        ${PAGE}
        (async () => {
          const page = await addonPage(id);
          const area = page.browser.storage.sync || page.browser.storage.local;
          const settings = { choice: 'custom', customUrl: doh, fallback: false, timeoutMs: 4000 };
          await area.set(page.JSON.parse(JSON.stringify({ settings })));
          done(true);
        })().catch((e) => done(String(e)));
      `, [tb.addonId, inject('dohUrl')]);
    }, 300_000);
    afterAll(async () => { await servers?.stop(); });

    interface Found {
      incoming: Record<string, unknown> | null;
      outgoing: Record<string, unknown> | null;
      badge: { level: string; reasons: string[] };
    }
    function discover(addresses: string[]): Promise<Record<string, Found | string>> {
      return tb.marionette.executeAsync(`
        const [id, addresses, done] = arguments;
        ${PAGE}
        (async () => {
          const page = await addonPage(id);
          const out = {};
          // One at a time, as a user looks up: four at once could meet the Experiment's bound of 16 open connections
          // on a loaded machine, before the closes of the previous ones had arrived (then a probe reads "not probed").
          for (let i = 0; i < addresses.length; i += 1) {
            await Promise.all(addresses.slice(i, i + 1).map(async (address) => {
              const request = page.JSON.parse(JSON.stringify({ type: 'discover', address, fresh: true }));
              const answer = JSON.parse(JSON.stringify(await page.browser.runtime.sendMessage(request)));
              out[address] = answer.ok ? answer.discovery : 'refused: ' + (answer.reason || answer.failure);
            }));
          }
          done(out);
        })().catch((e) => done({ error: 'script error: ' + e }));
      `, [tb.addonId, addresses]);
    }

    const ok = (extra: object = {}) => ({ status: 'ok', tlsVersion: 'TLSv1.3', dane: 'absent', ...extra });
    const validFor = (namesDomain = false) => ({ valid: true, namesTarget: true, namesDomain });
    const cases = [
      {
        name: 'a certificate for the target only: probe ok, vouched for by the domain and DNSSEC, badge tls',
        address: 'alice@good.probe.test',
        incoming: { verifiedBy: ['in-domain', 'dnssec'], probe: ok({ certificate: validFor(), starttls: null, auth: ['PLAIN'] }) },
        outgoing: { verifiedBy: ['in-domain', 'dnssec'], probe: ok({ certificate: validFor(), auth: ['PLAIN', 'LOGIN'] }) },
        level: 'tls',
      },
      {
        name: 'RFC 6125 §6.2.1: an unsigned out-of-domain target whose certificate names the email domain is verified',
        address: 'alice@shop.hosted-probe.test',
        incoming: { inDomain: false, dnssec: false, verifiedBy: ['certificate'], probe: ok({ certificate: validFor(true) }) },
        outgoing: { inDomain: false, dnssec: false, verifiedBy: ['certificate'], probe: ok({ certificate: validFor(true) }) },
        level: 'tls',
      },
      {
        name: 'RFC 7628: a submission server that offers only OAuth2: the mechanisms as advertised',
        address: 'alice@oauth2only.probe.test',
        outgoing: { verifiedBy: ['in-domain', 'dnssec'], probe: ok({ certificate: validFor(), auth: ['OAUTHBEARER', 'XOAUTH2'] }) },
        level: 'tls',
      },
      {
        name: 'an expired certificate: failed, badge none with the reason',
        address: 'alice@expired.probe.test',
        incoming: { verifiedBy: ['in-domain', 'dnssec'], probe: { status: 'failed', reason: 'probe-certificate-expired' } },
        level: 'none',
        reasons: ['incoming-probe-failed', 'probe-certificate-expired'],
      },
      {
        name: 'a certificate for another name: failed (probe-certificate-name)',
        address: 'alice@othername.probe.test',
        incoming: { probe: { status: 'failed', reason: 'probe-certificate-name' } },
        level: 'none',
        reasons: ['incoming-probe-failed', 'probe-certificate-name'],
      },
      {
        name: 'a self-signed certificate: failed (probe-certificate-untrusted)',
        address: 'alice@selfsigned.probe.test',
        incoming: { probe: { status: 'failed', reason: 'probe-certificate-untrusted' } },
        level: 'none',
        reasons: ['incoming-probe-failed', 'probe-certificate-untrusted'],
      },
      {
        name: 'RFC 8314 §4.1: postfix without STARTTLS on a STARTTLS label: failed, starttls missing',
        address: 'alice@nostarttls.probe.test',
        outgoing: { probe: { status: 'failed', reason: 'probe-starttls-missing', starttls: 'missing', certificate: null } },
        level: 'none',
        reasons: ['outgoing-probe-failed', 'probe-starttls-missing'],
      },
      {
        name: 'RFC 8314 §3.1: plain text on an implicit-TLS port: failed (probe-plaintext-on-tls-port)',
        address: 'alice@plaintext.probe.test',
        incoming: { probe: { status: 'failed', reason: 'probe-plaintext-on-tls-port', tlsVersion: null } },
        level: 'none',
        reasons: ['incoming-probe-failed', 'probe-plaintext-on-tls-port'],
      },
      {
        name: 'RFC 7673 §3: a matching TLSA record under DNSSEC: dane valid, vouched for by dane',
        address: 'alice@dane-ok.probe.test',
        incoming: { verifiedBy: ['in-domain', 'dnssec', 'dane'], probe: ok({ dane: 'valid', certificate: validFor() }) },
        level: 'tls',
      },
      {
        name: 'RFC 7673 §3: a TLSA record under DNSSEC that matches nothing: failed (probe-dane-mismatch)',
        address: 'alice@dane-bad.probe.test',
        incoming: { probe: { status: 'failed', dane: 'mismatch', reason: 'probe-dane-mismatch' } },
        level: 'none',
        reasons: ['incoming-probe-failed', 'probe-dane-mismatch'],
      },
    ];
    let found: Record<string, Found | string> = {};

    test('every case is answered through the add-on\'s message handler', async () => {
      const started = Date.now();
      found = await discover(cases.map((c) => c.address));
      console.log(`${cases.length} discoveries with probes through Thunderbird: ${Date.now() - started} ms`);
      expect(Object.keys(found).sort()).toEqual(cases.map((c) => c.address).sort());
    }, 120_000);

    test.each(cases)('$name', ({ address, incoming, outgoing, level, reasons }) => {
      const d = found[address];
      if (typeof d !== 'object') throw new Error(`${address}: ${String(d)}`);
      if (incoming !== undefined) expect(d.incoming).toMatchObject(incoming);
      if (outgoing !== undefined) expect(d.outgoing).toMatchObject(outgoing);
      expect(d.badge.level).toBe(level);
      if (reasons !== undefined) expect(d.badge.reasons).toEqual(expect.arrayContaining(reasons));
    });

    test('the popup: the badge, the probe rows, and "Check this server" for an alternative (probed only on request)', async () => {
      const result = await tb.marionette.executeAsync<Record<string, string>>(`
        const [id, done] = arguments;
        ${PAGE}
        (async () => {
          const page = await addonPage(id);
          const win = Services.wm.getMostRecentWindow('mail:3pane');
          const tab = win.gTabmail.openTab('contentTab', { url: page.browser.runtime.getURL('popup/popup.html') });
          const until = async (check, what) => {
            for (let i = 0; i < 400; i++) { const v = check(); if (v) return v; await sleep(50); }
            throw new Error('timed out waiting for ' + what);
          };
          await until(() => tab.browser.contentDocument && tab.browser.contentDocument.getElementById('go')
            && tab.browser.contentDocument.getElementById('go').textContent !== '', 'the popup');
          const p = tab.browser.contentDocument;
          const look = async (address) => {
            p.getElementById('address').value = address;
            p.getElementById('go').click();
            await until(() => p.querySelector('#badge .badge') && p.getElementById('go').getAttribute('aria-disabled') !== 'true', address);
          };
          await look('alice@expired.probe.test');
          const expired = { badge: p.querySelector('#badge .badge').className, rows: p.getElementById('settings').textContent };
          await look('alice@oauth2only.probe.test');
          await until(() => p.getElementById('create-why').textContent !== '', 'the OAuth2 check');
          const oauth2 = {
            disabled: String(p.getElementById('create-account').disabled), status: p.getElementById('create-why').textContent,
          };
          await look('alice@alts.probe.test');
          const buttons = [...p.querySelectorAll('#extras .alternative-check button')];
          const before = p.getElementById('extras').textContent;
          for (const b of buttons) b.click();
          const statuses = () => [...p.querySelectorAll('#extras .alternative-check [role=status]')];
          await until(() => p.querySelectorAll('#extras .alternative-check button').length === 0
            && !statuses().some((s) => s.textContent === 'Checking…'), 'the checks');
          const results = statuses().map((s) => s.textContent + (s.classList.contains('bad') ? ' [bad]' : ''));
          win.gTabmail.closeTab(tab);
          const answer = {
            expiredBadge: expired.badge, expiredRows: expired.rows, buttons: String(buttons.length), before,
            oauth2Disabled: oauth2.disabled, oauth2Status: oauth2.status,
          };
          done({ ...answer, results: results.join('|') });
        })().catch((e) => done({ error: 'script error: ' + e }));
      `, [tb.addonId]);
      expect(result.error).toBeUndefined();
      expect(result.expiredBadge).toContain('badge-none');
      expect(result.expiredRows).toMatch(/certificate has expired|expired/i);
      expect(result.buttons).toBe('2');
      // RFC 7628: only OAuth2 offered and Thunderbird knows no provider for the host: Create is off, the reason beside it.
      expect(result.oauth2Disabled).toBe('true');
      expect(result.oauth2Status).toMatch(/accepts only OAuth2 sign-in/);
      expect(result.before).not.toMatch(/TLSv1\.3/);
      const [imap, smtp] = (result.results ?? '').split('|');
      expect(imap).toMatch(/TLSv1\.3.*PLAIN/);
      expect(imap).not.toContain('[bad]');
      expect(smtp).toContain('[bad]');
      console.log(`popup alternatives: ${result.results}`);
    }, 120_000);

    test('RFC 7628: the background refuses to create an account whose server takes only OAuth2 from an unknown provider', async () => {
      const shown = {
        address: 'alice@oauth2only.probe.test',
        incoming: { protocol: 'imap', hostname: 'imap.good.probe.test', port: 11993, security: 'tls' },
        outgoing: { protocol: 'smtp', hostname: 'smtp.oauth2only.probe.test', port: 11907, security: 'tls' },
      };
      const answers = await tb.marionette.executeAsync<unknown[]>(`
        const [id, shownJson, done] = arguments;
        ${PAGE}
        (async () => {
          const page = await addonPage(id);
          const ask = async (r) => JSON.parse(JSON.stringify(await page.browser.runtime.sendMessage(page.JSON.parse(JSON.stringify(r)))));
          const shown = JSON.parse(shownJson);
          done([
            await ask({ type: 'knowsOAuth2', servers: [shown.incoming, shown.outgoing] }),
            await ask({ type: 'createAccount', shown, trusted: false, password: 'never sent' }),
          ]);
        })().catch((e) => done(['script error: ' + e]));
      `, [tb.addonId, JSON.stringify(shown)]);
      expect(answers).toEqual([{ known: [false, false] }, { ok: false, reason: 'account-oauth2-only' }]);
    });

    test('no probe sent a credential: dovecot saw no auth attempt, postfix no AUTH, MAIL or RCPT', () => {
      const log = servers.dovecotLog();
      expect(log).not.toMatch(/Info: Login: |auth failed|\(\d+ auth attempts/);
      const sessions = servers.postfixLog().split('\n').filter((l) => / disconnect from .* ehlo=/.test(l));
      expect(sessions.length).toBeGreaterThan(0);
      expect(sessions.filter((l) => / (auth|mail|rcpt|data)=/.test(l))).toEqual([]);
      expect(servers.oauth2OnlyCommands.filter((l) => /^(AUTH|MAIL|RCPT|DATA)\b/i.test(l))).toEqual([]);
    });
  });

  // Last: it restarts the add-on.
  test('disabling the add-on closes its open connections (onShutdown)', async () => {
    const before = silent.sockets.length;
    const [connect] = await probe([{ call: 'connect', args: [request('silent.probe.test', silent.port, false, 30000)] }]);
    expect(connect?.answer).toMatchObject({ ok: true });
    const socket = silent.sockets[before];
    expect(socket?.destroyed).toBe(false);
    const closed = new Promise<number>((resolve) => {
      const start = Date.now();
      socket?.once('close', () => resolve(Date.now() - start));
    });
    await tb.marionette.executeAsync(`
      const [id, done] = arguments;
      const { AddonManager } = ChromeUtils.importESModule('resource://gre/modules/AddonManager.sys.mjs');
      AddonManager.getAddonByID(id).then(async (addon) => {
        await addon.disable();
        await addon.enable();
        done(true);
      }, (e) => done(String(e)));
    `, [tb.addonId]);
    const outcome = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000))]);
    expect(outcome).toBeTypeOf('number');
  });
});
