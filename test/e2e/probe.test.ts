// The server probe through the built CLI against real servers (RFC 6186 §6 via RFC 6125 §6, RFC 8314 §3,
// RFC 7673 §3): dovecot for IMAP and POP3, postfix for submission, hostile servers; probe fields, verifiedBy
// and the badge as the --json object shows them, and the servers' side: no credential was ever sent.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startProbeServers, type ProbeServers } from '../support/probe-servers.ts';

const CLI = 'dist/cli.js';
const LIMIT_MS = 3000;
const real = ['--doh', inject('dohUrl'), '--ca', inject('caFile'), '--timeout', String(LIMIT_MS), '--json'];

interface Run { code: number | null; json: Record<string, any>; ms: number }

function cli(address: string, ...extra: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, address, ...real, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      try {
        resolve({ code, json: JSON.parse(stdout), ms: Date.now() - started });
      } catch {
        reject(new Error(`no JSON (exit ${code}): ${stdout}${stderr}`));
      }
    });
  });
}

let servers: ProbeServers;
// The ports are shared with test/e2e/thunderbird-probe.test.ts: this waits while that file holds them.
beforeAll(async () => { servers = await startProbeServers(inject('stateDir')); }, 300_000);
afterAll(async () => { await servers?.stop(); });

const ok = (extra: object = {}) => ({ status: 'ok', tlsVersion: 'TLSv1.3', dane: 'absent', ...extra });
const validFor = (namesDomain = false) =>
  ({ valid: true, namesTarget: true, namesDomain, issuer: expect.any(String), notAfter: expect.stringMatching(/^20\d\d-/) });

describe('RFC 6186 §6 / RFC 6125 §6: the server probe against real servers', () => {
  test.each([
    {
      name: 'a certificate for the target only: probe ok, vouched for by the domain and DNSSEC, badge tls',
      address: 'alice@good.probe.test',
      incoming: { verifiedBy: ['in-domain', 'dnssec'], probe: ok({ certificate: validFor(), starttls: null, auth: ['PLAIN'] }) },
      outgoing: {
        verifiedBy: ['in-domain', 'dnssec'],
        probe: ok({ certificate: validFor(), starttls: null, auth: ['PLAIN', 'LOGIN'] }),
      },
      level: 'tls',
    },
    {
      name: 'IMAP STARTTLS (dovecot) and submission 587: STARTTLS offered, mechanisms read under TLS, badge starttls',
      address: 'alice@upgrade.probe.test',
      incoming: { probe: ok({ certificate: validFor(), starttls: 'offered', auth: ['PLAIN'] }) },
      outgoing: { probe: ok({ certificate: validFor(), starttls: 'offered', auth: ['PLAIN', 'LOGIN'] }) },
      level: 'starttls',
    },
    {
      name: 'POP3 with implicit TLS (dovecot): CAPA read, badge tls',
      address: 'alice@pops.probe.test',
      incoming: { protocol: 'pop3', probe: ok({ certificate: validFor(), starttls: null, auth: ['PLAIN', 'USER'] }) },
      level: 'tls',
    },
    {
      name: 'POP3 STLS (dovecot): STLS offered, CAPA again under TLS',
      address: 'alice@stls.probe.test',
      incoming: { protocol: 'pop3', probe: ok({ certificate: validFor(), starttls: 'offered', auth: ['PLAIN', 'USER'] }) },
      level: 'starttls',
    },
    {
      name: 'RFC 7628: a submission server that offers only OAuth2: its mechanisms are shown as advertised',
      address: 'alice@oauth2only.probe.test',
      outgoing: {
        verifiedBy: ['in-domain', 'dnssec'],
        probe: ok({ certificate: validFor(), starttls: null, auth: ['OAUTHBEARER', 'XOAUTH2'] }),
      },
      level: 'tls',
    },
    {
      name: 'an expired certificate: failed, badge none with the reason',
      address: 'alice@expired.probe.test',
      incoming: {
        verifiedBy: ['in-domain', 'dnssec'],
        probe: { status: 'failed', reason: 'probe-certificate-expired', certificate: { valid: false, namesTarget: true } },
      },
      level: 'none',
      reasons: ['incoming-probe-failed', 'probe-certificate-expired'],
    },
    {
      name: 'a certificate for another name: failed (probe-certificate-name)',
      address: 'alice@othername.probe.test',
      incoming: { probe: { status: 'failed', reason: 'probe-certificate-name', certificate: { valid: false, namesTarget: false } } },
      level: 'none',
      reasons: ['incoming-probe-failed', 'probe-certificate-name'],
    },
    {
      name: 'a self-signed certificate: failed (probe-certificate-untrusted)',
      address: 'alice@selfsigned.probe.test',
      incoming: { probe: { status: 'failed', reason: 'probe-certificate-untrusted', certificate: { valid: false, namesTarget: true } } },
      level: 'none',
      reasons: ['incoming-probe-failed', 'probe-certificate-untrusted'],
    },
    {
      name: 'RFC 8314 §4.1: a STARTTLS label whose server offers no STARTTLS: failed, starttls missing',
      address: 'alice@nostarttls.probe.test',
      outgoing: { probe: { status: 'failed', reason: 'probe-starttls-missing', starttls: 'missing', tlsVersion: null, certificate: null } },
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
      incoming: { probe: { status: 'failed', dane: 'mismatch', reason: 'probe-dane-mismatch', certificate: validFor() } },
      level: 'none',
      reasons: ['incoming-probe-failed', 'probe-dane-mismatch'],
    },
    {
      name: 'RFC 6125 §6.2.1: an unsigned out-of-domain target whose certificate names the email domain is verified',
      address: 'alice@shop.hosted-probe.test',
      incoming: { inDomain: false, dnssec: false, verifiedBy: ['certificate'], probe: ok({ certificate: validFor(true) }) },
      outgoing: { inDomain: false, dnssec: false, verifiedBy: ['certificate'], probe: ok({ certificate: validFor(true) }) },
      level: 'tls',
    },
    {
      name: 'RFC 6186 §6: an unsigned out-of-domain target whose certificate names only itself stays unverified',
      address: 'alice@bare.hosted-probe.test',
      incoming: { inDomain: false, verifiedBy: [], probe: ok({ certificate: validFor(false) }) },
      level: 'unverified',
      reasons: ['incoming-outside-domain', 'outgoing-outside-domain'],
    },
  ])('$name', async ({ address, incoming, outgoing, level, reasons }) => {
    const { code, json } = await cli(address);
    expect(code).toBe(0);
    if (incoming !== undefined) expect(json.incoming).toMatchObject(incoming);
    if (outgoing !== undefined) expect(json.outgoing).toMatchObject(outgoing);
    expect(json.badge.level).toBe(level);
    if (reasons !== undefined) expect(json.badge.reasons).toEqual(expect.arrayContaining(reasons));
  });

  test.each([
    { name: 'a server that drips its greeting', host: 'drip', reason: 'probe-timeout' },
    { name: 'a server that resets the connection', host: 'reset', reason: 'probe-reset' },
    { name: 'garbage before the greeting', host: 'garbage', reason: 'probe-bad-greeting' },
    { name: 'an endless capability line', host: 'endless', reason: 'probe-line-too-long' },
    { name: 'a 10 MB certificate chain', host: 'hugechain', reason: 'probe-tls-failed' },
  ])('bad input: $name gets $reason within the time limit', async ({ host, reason }) => {
    const { code, json, ms } = await cli(`alice@${host}.probe.test`);
    expect(code).toBe(0);
    expect(json.incoming.probe).toMatchObject({ status: 'failed', reason });
    expect(json.badge).toMatchObject({ level: 'none', reasons: expect.arrayContaining(['incoming-probe-failed', reason]) });
    expect(ms).toBeLessThan(LIMIT_MS + 3000);
  });

  test('--probe-alternatives: each alternative gets its own probe, unprobed without it; the badge is the chosen servers\'', async () => {
    const { json: plain } = await cli('alice@alts.probe.test');
    expect(plain.alternatives.map((a: { probe: unknown }) => a.probe)).toEqual([null, null]);
    const { code, json } = await cli('alice@alts.probe.test', '--probe-alternatives');
    expect(code).toBe(0);
    expect(json.alternatives).toEqual([
      expect.objectContaining({
        hostname: 'imap.upgrade.probe.test', port: 11143, verifiedBy: ['dnssec'],
        probe: ok({ certificate: validFor(), starttls: 'offered', auth: ['PLAIN'] }),
      }),
      expect.objectContaining({
        hostname: 'smtp.nostarttls.probe.test', port: 11588,
        probe: expect.objectContaining({ status: 'failed', reason: 'probe-starttls-missing', starttls: 'missing' }),
      }),
    ]);
    expect(json.badge).toEqual(plain.badge);
  });

  test('--no-probe: probe is null and the badge is the DNS-only one', async () => {
    const { json } = await cli('alice@expired.probe.test', '--no-probe');
    expect(json.incoming).toMatchObject({ probe: null, verifiedBy: ['in-domain', 'dnssec'] });
    expect(json.badge.level).toBe('tls');
  });

  test('no probe ever sent a credential: dovecot saw no auth attempt, postfix no AUTH, MAIL or RCPT', async () => {
    await cli('alice@good.probe.test');
    await cli('alice@upgrade.probe.test');
    // dovecot logs a connection when it ends, a moment after the client closed it.
    const deadline = Date.now() + 3000;
    while (!/imap-login: .*Disconnected[^\n]*\n[^]*imap-login: .*Disconnected/.test(servers.dovecotLog()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const log = servers.dovecotLog();
    const disconnects = log.split('\n').filter((l) => /Disconnected/.test(l));
    expect(disconnects.length).toBeGreaterThan(0);
    expect(disconnects.filter((l) => !/\(no auth attempts in/.test(l))).toEqual([]);
    expect(log).not.toMatch(/Info: Login: |auth failed|\(\d+ auth attempts/);
    // smtpd counts each session's commands on its "disconnect from" line: ehlo=2 starttls=1 quit=1 commands=4.
    const sessions = servers.postfixLog().split('\n').filter((l) => / disconnect from .* ehlo=/.test(l));
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect(sessions.filter((l) => / (auth|mail|rcpt|data)=/.test(l))).toEqual([]);
    expect(sessions.some((l) => / ehlo=2 starttls=1 quit=1 /.test(l))).toBe(true);
    expect(servers.oauth2OnlyCommands.filter((l) => /^(AUTH|MAIL|RCPT|DATA)\b/i.test(l))).toEqual([]);
  });
});
