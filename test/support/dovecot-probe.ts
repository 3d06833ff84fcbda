// Debian's dovecot on 127.0.0.1 for the server-probe tests: IMAP with implicit TLS and with STARTTLS, one
// certificate per SNI name (dovecot's local_name blocks), so one server holds every certificate case.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue } from './certificates.ts';
import { freePort } from './global-resolver.ts';

export interface ProbeCertificate {
  /** The name the client connects to (SNI) and that picks this certificate. */
  readonly sni: string;
  /** subjectAltName DNS names of the certificate. */
  readonly names: readonly string[];
  readonly selfSigned?: boolean;
}

export interface DovecotProbeServer {
  readonly imapsPort: number;
  readonly imapPort: number;
  /** PEM of the certificate served for `sni`. */
  readonly certificate: (sni: string) => string;
  /** PEM of its private key, for a Node server that presents the same certificate. */
  readonly key: (sni: string) => string;
  /** dovecot's log, to show no login was attempted. */
  readonly log: () => string;
  readonly stop: () => Promise<void>;
}

/** The first certificate is also the default, served without SNI or for an unknown name. */
export async function startDovecotProbeServer(stateDir: string, certificates: readonly ProbeCertificate[]): Promise<DovecotProbeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-dovecot-probe-'));
  const pems = new Map<string, { cert: string; key: string }>();
  // The CA's key and serial file live in stateDir; the issued files are copied to this server's own folder.
  for (const [i, c] of certificates.entries()) {
    const pair = issue(stateDir, `probe-${process.pid}-${i}`, c.names, { selfSigned: c.selfSigned ?? false });
    writeFileSync(join(dir, `${i}.pem`), pair.cert);
    writeFileSync(join(dir, `${i}.key`), pair.key);
    pems.set(c.sni, pair);
  }
  const [imapsPort, imapPort] = [await freePort(), await freePort()];
  const localNames = certificates
    .map((c, i) => `local_name ${c.sni} {\n  ssl_cert = <${dir}/${i}.pem\n  ssl_key = <${dir}/${i}.key\n}\n`)
    .join('');
  writeFileSync(join(dir, 'dovecot.conf'), `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <${dir}/0.pem
ssl_key = <${dir}/0.key
${localNames}
auth_mechanisms = plain
disable_plaintext_auth = yes
passdb {
  driver = static
  args = nopassword=no
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
}
service anvil {
  chroot =
}
`);
  const child: ChildProcess = spawn('dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = (): string => {
    try {
      return readFileSync(join(dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 10000;
  while (!/starting up/i.test(log())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dovecot did not start: ${stderr}${log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    imapsPort,
    imapPort,
    certificate: (sni) => pems.get(sni)?.cert ?? '',
    key: (sni) => pems.get(sni)?.key ?? '',
    log,
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
