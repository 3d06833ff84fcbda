// Debian's dovecot as a real IMAP server on 127.0.0.1 for the login tests: implicit TLS with a
// certificate from the test CA, and one user whose login name is the local-part only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue } from './certificates.ts';

export const IMAP_PORT = 10993; // test/resolver/zones/login.test.zone names this port

export interface ImapServer {
  /** dovecot's log: the login attempts, in order, as the server saw them. */
  readonly log: () => string;
  readonly stop: () => Promise<void>;
}

/** `host`/`port`: the name on its certificate and where it listens (a zone in test/resolver/zones points there). */
export async function startImapServer(
  stateDir: string,
  users: Record<string, string>,
  { host = 'imap.login.test', port = IMAP_PORT } = {},
): Promise<ImapServer> {
  const dir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-dovecot-'));
  chmodSync(dir, 0o755); // dovecot's auth process runs as the dovecot user and must read the passwd file
  const cert = issue(stateDir, host, [host]);
  writeFileSync(join(dir, 'cert.pem'), cert.cert);
  writeFileSync(join(dir, 'key.pem'), cert.key);
  writeFileSync(
    join(dir, 'passwd'),
    Object.entries(users)
      .map(([user, password]) => `${user}:{PLAIN}${password}::::::\n`)
      .join(''),
  );
  // Mail is delivered as nobody: dovecot refuses uid 0 for a mail user.
  const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }));
  for (const user of Object.keys(users)) {
    mkdirSync(join(dir, 'home', user), { recursive: true });
    chownSync(join(dir, 'home', user), uid, gid);
  }
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
auth_verbose = yes
auth_verbose_passwords = no
auth_failure_delay = 0
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
auth_mechanisms = plain login
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
login_trusted_networks = 127.0.0.0/8
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${port}
    ssl = yes
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`,
  );
  const server = await runDovecot(dir);
  return { log: server.log, stop: server.stop };
}

/** Runs dovecot in the foreground on `dir`/dovecot.conf until it logs that it started; stop() ends it and removes `dir`. */
export async function runDovecot(dir: string): Promise<ImapServer> {
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
