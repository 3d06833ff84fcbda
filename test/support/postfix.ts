// Debian's postfix for the probe's submission cases: implicit TLS (RFC 8314 §3.3, port 465 style), STARTTLS (RFC 3207,
// port 587 style) and a STARTTLS port whose server offers no STARTTLS, one certificate per SNI name (RFC 6066 §3,
// tls_server_sni_maps), SASL PLAIN and LOGIN advertised only under TLS. A private config and queue folder, the
// master process in the foreground (no system postfix, no syslog: maillog_file), stopped by its own pid.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyPair } from './certificates.ts';
import { requireCommand } from './daemon.ts';

export interface PostfixPorts {
  readonly implicit: number;
  readonly starttls: number;
  /** A STARTTLS port whose server does not offer STARTTLS (smtpd_tls_security_level = none). */
  readonly noStarttls: number;
}

export interface PostfixServer {
  /** postfix's log: smtpd logs each session's commands on its "disconnect from" line (ehlo=1 starttls=1 quit=1). */
  readonly log: () => string;
  readonly stop: () => Promise<void>;
}

const START_LIMIT_MS = 15000;

/** `certificates`: SNI name → certificate; `fallback` is served without SNI or for a name not in the map. */
export async function startPostfix(
  certificates: ReadonlyMap<string, KeyPair>,
  fallback: KeyPair,
  ports: PostfixPorts,
  host = '127.0.0.1',
): Promise<PostfixServer> {
  requireCommand('postconf', 'postfix');
  const dir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-postfix-'));
  // The daemons run as the postfix user and read the chain files and the SNI table under this folder.
  chmodSync(dir, 0o755);
  for (const sub of ['etc', 'queue', 'data', 'sni']) mkdirSync(join(dir, sub));
  const postfixUid = Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }));
  chownSync(join(dir, 'data'), postfixUid, -1);
  const chain = (stem: string, pair: KeyPair): string => {
    const file = join(dir, 'sni', `${stem}.pem`);
    writeFileSync(file, pair.key + pair.cert, { mode: 0o644 });
    return file;
  };
  writeFileSync(join(dir, 'sni', 'map'), [...certificates].map(([name, pair], i) => `${name} ${chain(`cert-${i}`, pair)}\n`).join(''));
  // inet_interfaces = all: 127.0.0.2 (the bench's servers) is no interface address of its own and `postfix check`
  // refuses it; master.cf binds each service to `host` itself.
  writeFileSync(join(dir, 'etc', 'main.cf'), `compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = /dev/stdout
inet_interfaces = all
inet_protocols = ipv4
myhostname = submission.probe.test
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
smtpd_tls_chain_files = ${chain('default', fallback)}
tls_server_sni_maps = texthash:${dir}/sni/map
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_mechanism_filter = plain, login
smtpd_tls_auth_only = yes
`);
  // RFC 8314 §3.3 implicit TLS (wrappermode), RFC 3207 STARTTLS, and a server without STARTTLS on a STARTTLS label.
  writeFileSync(join(dir, 'etc', 'master.cf'), `${host}:${ports.implicit} inet n - n - - smtpd
  -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
${host}:${ports.starttls} inet n - n - - smtpd
${host}:${ports.noStarttls} inet n - n - - smtpd
  -o smtpd_tls_security_level=none
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
proxymap unix - - n - - proxymap
anvil unix - - n - 1 anvil
postlog unix-dgram n - n - 1 postlogd
`);
  const logFile = join(dir, 'postfix.log');
  const log = (): string => readFileSync(logFile, 'utf8');
  try {
    // `postfix check` makes the queue's sub-folders with their owners and modes.
    execFileSync('postfix', ['-c', join(dir, 'etc'), 'check'], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`postfix check failed: ${String(stderr ?? '')}${String(stdout ?? '') || String(error)}`);
  }
  const daemons = execFileSync('postconf', ['-c', join(dir, 'etc'), '-h', 'daemon_directory'], { encoding: 'utf8' }).trim();
  const fd = openSync(logFile, 'a');
  // -d: master stays in the foreground; detached: its own process group, which master signals on exit.
  const master = spawn(join(daemons, 'master'), ['-c', join(dir, 'etc'), '-d'], { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => master.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (master.exitCode === null && master.signalCode === null) {
      master.kill('SIGTERM');
      const timer = setTimeout(() => master.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_LIMIT_MS;
  for (const port of [ports.implicit, ports.starttls, ports.noStarttls]) {
    while (!(await accepts(host, port))) {
      if (master.exitCode !== null || Date.now() > deadline) {
        const text = log();
        await stop();
        throw new Error(`postfix did not listen on ${host}:${port}:\n${text}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { log, stop };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
