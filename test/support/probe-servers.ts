// The servers of the probe cases (test/resolver/zones/probe.test.zone, hosted-probe.test.unsigned.zone): Debian's
// dovecot for IMAP and POP3 (implicit TLS and STARTTLS), Debian's postfix for submission, and hostile Node servers, all
// on 127.0.0.1 with certificates from the test CA chosen by SNI (RFC 6066 §3).
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { issue, type KeyPair } from './certificates.ts';
import { startHostileServer, type HostileServer, type Hostility } from './hostile-mail-server.ts';
import { runDovecot, type ImapServer } from './imap-server.ts';
import { startOAuth2OnlyServer } from './oauth2-only-probe-server.ts';
import { startPostfix, type PostfixServer } from './postfix.ts';

export const PORTS = {
  imaps: 11993, imap: 11143, pop3s: 11995, pop3: 11110, submissions: 11465, submission: 11587, noStarttls: 11588, oauth2Only: 11907,
} as const;
export const HOSTILE_PORTS: Record<Hostility, number> = {
  drip: 11901, reset: 11902, garbage: 11903, endless: 11904, 'huge-chain': 11905, plaintext: 11906,
};
export const DANE_KEY = 'test/fixtures/probe/dane.key';

const SRV_NAME = '1.3.6.1.5.5.7.8.7'; // RFC 4985 §2 id-on-dnsSRV

/** host name the client asks for (SNI) → certificate it gets. */
function certificates(stateDir: string): Map<string, KeyPair> {
  const one = (stem: string, names: string[], options = {}): KeyPair => issue(stateDir, `probe-${stem}`, names, options);
  const map = new Map<string, KeyPair>();
  const plain = (host: string): void => { map.set(host, one(host, [host])); };
  const hosts = [
    'imap.good',
    'smtp.good',
    'imap.upgrade',
    'smtp.upgrade',
    'pop.pops',
    'smtp.pops',
    'pop.stls',
    'smtp.stls',
    'smtp.nostarttls',
    'smtp.oauth2only',
  ];
  for (const host of hosts) plain(`${host}.probe.test`);
  map.set('imap.expired.probe.test', one('expired', ['imap.expired.probe.test'], { days: -1 }));
  map.set('imap.othername.probe.test', one('othername', ['mail.elsewhere.test']));
  map.set('imap.selfsigned.probe.test', one('selfsigned', ['imap.selfsigned.probe.test'], { selfSigned: true }));
  map.set('imap.dane-ok.probe.test', one('dane-ok', ['imap.dane-ok.probe.test'], { keyFile: DANE_KEY }));
  map.set('imap.dane-bad.probe.test', one('dane-bad', ['imap.dane-bad.probe.test'], { keyFile: DANE_KEY }));
  // RFC 6125 §6.2.1 / RFC 7817: the hoster's certificate also names the customer's domain (DNS-ID and SRV-ID).
  map.set('mail.hosted-probe.test', one('hosted', [
    'mail.hosted-probe.test', 'shop.hosted-probe.test', `otherName:${SRV_NAME};IA5STRING:_imaps.shop.hosted-probe.test`,
  ]));
  plain('bare-mail.hosted-probe.test');
  const hostile = one('hostile', ['drip', 'garbage', 'endless', 'hugechain', 'reset', 'plaintext'].map((h) => `imap.${h}.probe.test`));
  for (const h of ['drip', 'garbage', 'endless', 'hugechain']) map.set(`imap.${h}.probe.test`, hostile);
  return map;
}

export interface ProbeServers {
  readonly dovecotLog: () => string;
  /** postfix's log: one "disconnect from" line per session, with the commands it received. */
  readonly postfixLog: () => string;
  /** The command lines the OAuth2-only submission server received. */
  readonly oauth2OnlyCommands: readonly string[];
  readonly stop: () => Promise<void>;
}

// The zone's fixed ports are held by one test file at a time (the CLI and the Thunderbird probe tests run in parallel).
const PORTS_LOCK = join(tmpdir(), 'srv-autoconfig-probe-ports.lock');
const PORTS_WAIT_MS = 240_000;

async function lockPorts(host: string): Promise<() => void> {
  const file = `${PORTS_LOCK}-${host}`;
  const deadline = Date.now() + PORTS_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A holder that died without stopping its servers left its lock behind.
    const holder = Number(readFileSync(file, 'utf8'));
    if (!alive(holder)) rmSync(file, { force: true });
    else if (Date.now() > deadline) throw new Error(`the probe servers' ports stayed held by process ${holder}`);
    else await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `host`: where the servers listen (the bench puts a delaying proxy on 127.0.0.1 in front of 127.0.0.2). */
export async function startProbeServers(stateDir: string, { host = '127.0.0.1', hostile = true } = {}): Promise<ProbeServers> {
  const unlock = await lockPorts(host);
  try {
    return await startLocked(stateDir, host, hostile, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function startLocked(stateDir: string, host: string, hostile: boolean, unlock: () => void): Promise<ProbeServers> {
  const certs = certificates(stateDir);
  const fallback = certs.get('imap.good.probe.test')!;
  const contexts = new Map([...certs].map(([host, pair]) => [host, tls.createSecureContext({ key: pair.key, cert: pair.cert })]));
  const sni = (fallbackHost: string): tls.TlsOptions => ({
    key: certs.get(fallbackHost)!.key,
    cert: certs.get(fallbackHost)!.cert,
    SNICallback: (name, callback) => callback(null, contexts.get(name) ?? contexts.get(fallbackHost)),
  });
  const dovecot = await startDovecot(certs, fallback, host);
  const stops: (() => Promise<void>)[] = [dovecot.stop];
  try {
    const submission: PostfixServer = await startPostfix(certs, certs.get('smtp.good.probe.test')!, {
      implicit: PORTS.submissions, starttls: PORTS.submission, noStarttls: PORTS.noStarttls,
    }, host);
    stops.push(submission.stop);
    const oauth2Only = await startOAuth2OnlyServer(PORTS.oauth2Only, sni('smtp.oauth2only.probe.test'), host);
    stops.push(oauth2Only.stop);
    const ca = readFileSync(join(stateDir, 'ca.pem'), 'utf8');
    for (const [kind, port] of hostile ? (Object.entries(HOSTILE_PORTS) as [Hostility, number][]) : []) {
      const server: HostileServer = await startHostileServer(kind, port, sni('imap.drip.probe.test'), ca);
      stops.push(server.stop);
    }
    const stop = (): Promise<void> => stopAll(stops).finally(unlock);
    return { dovecotLog: dovecot.log, postfixLog: submission.log, oauth2OnlyCommands: oauth2Only.commands, stop };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function stopAll(stops: readonly (() => Promise<void>)[]): Promise<void> {
  await Promise.all(stops.map((stop) => stop()));
}

/** dovecot with IMAP and POP3, implicit TLS and STARTTLS, one certificate per host name (local_name, SNI). */
async function startDovecot(certs: Map<string, KeyPair>, fallback: KeyPair, host: string): Promise<ImapServer> {
  const dir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-probe-dovecot-'));
  chmodSync(dir, 0o755);
  const files = (stem: string, pair: KeyPair): string => {
    writeFileSync(join(dir, `${stem}.pem`), pair.cert);
    writeFileSync(join(dir, `${stem}.key`), pair.key);
    return `  ssl_cert = <${dir}/${stem}.pem\n  ssl_key = <${dir}/${stem}.key\n`;
  };
  const named = [...certs].map(([host, pair], i) => `local_name ${host} {\n${files(`cert-${i}`, pair)}}\n`).join('');
  writeFileSync(join(dir, 'passwd'), '');
  const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }));
  mkdirSync(join(dir, 'home'));
  writeFileSync(join(dir, 'dovecot.conf'), `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
auth_verbose = yes
auth_failure_delay = 0
protocols = imap pop3
listen = ${host}
ssl = yes
${files('default', fallback)}${named}
auth_mechanisms = plain
disable_plaintext_auth = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    address = ${host}
    port = ${PORTS.imap}
  }
  inet_listener imaps {
    address = ${host}
    port = ${PORTS.imaps}
    ssl = yes
  }
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    address = ${host}
    port = ${PORTS.pop3}
  }
  inet_listener pop3s {
    address = ${host}
    port = ${PORTS.pop3s}
    ssl = yes
  }
}
service anvil {
  chroot =
}
`);
  return runDovecot(dir);
}
