// Debian's dovecot on 127.0.0.1 for the server-probe tests: IMAP (and POP3 with dovecot-pop3d) with implicit TLS
// and with STARTTLS/STLS, one certificate per SNI name (dovecot's local_name blocks): one server, every certificate case.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue } from './certificates.ts';
import { freePort } from './global-resolver.ts';
import { runDovecot } from './imap-server.ts';

export interface ProbeCertificate {
  /** The name the client connects to (SNI) and that picks this certificate. */
  readonly sni: string;
  /** subjectAltName DNS names of the certificate. */
  readonly names: readonly string[];
  readonly selfSigned?: boolean;
  /** From the test CA, but its notAfter already passed. */
  readonly expired?: boolean;
}

export interface DovecotProbeServer {
  readonly imapsPort: number;
  readonly imapPort: number;
  /** 0 unless started with `{pop3: true}`. */
  readonly pop3sPort: number;
  readonly pop3Port: number;
  /** PEM of the certificate served for `sni`. */
  readonly certificate: (sni: string) => string;
  /** PEM of its private key, for a Node server that presents the same certificate. */
  readonly key: (sni: string) => string;
  /** dovecot's log, to show no login was attempted. */
  readonly log: () => string;
  readonly stop: () => Promise<void>;
}

/** The CSR issue() left in stateDir signed again by the test CA, valid only in January 2020 (`openssl ca` sets both dates). */
function signExpired(stateDir: string, dir: string, stem: string): string {
  const ca = join(dir, `ca-${stem}`);
  mkdirSync(ca);
  writeFileSync(join(ca, 'index.txt'), '');
  writeFileSync(join(ca, 'serial'), '1000\n');
  writeFileSync(join(ca, 'ca.cnf'), `[ca]\ndefault_ca = d\n[d]\ndatabase = ${ca}/index.txt\nnew_certs_dir = ${ca}\nserial = ${ca}/serial\n`
    + 'default_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n');
  execFileSync('openssl', ['ca', '-batch', '-notext', '-config', join(ca, 'ca.cnf'), '-cert', 'ca.pem', '-keyfile', 'ca.key',
    '-in', `${stem}.csr`, '-out', join(ca, 'cert.pem'), '-startdate', '20200101000000Z', '-enddate', '20200201000000Z',
    '-extfile', `${stem}.ext`], { cwd: stateDir, stdio: 'pipe' });
  return readFileSync(join(ca, 'cert.pem'), 'utf8');
}

/** The first certificate is also the default, served without SNI or for an unknown name. */
export async function startDovecotProbeServer(
  stateDir: string,
  certificates: readonly ProbeCertificate[],
  { pop3 = false } = {},
): Promise<DovecotProbeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-dovecot-probe-'));
  const pems = new Map<string, { cert: string; key: string }>();
  // The CA's key and serial file live in stateDir; the issued files are copied to this server's own folder.
  for (const [i, c] of certificates.entries()) {
    const stem = `probe-${process.pid}-${i}`;
    let pair = issue(stateDir, stem, c.names, { selfSigned: c.selfSigned ?? false });
    if (c.expired === true) pair = { ...pair, cert: signExpired(stateDir, dir, stem) };
    writeFileSync(join(dir, `${i}.pem`), pair.cert);
    writeFileSync(join(dir, `${i}.key`), pair.key);
    pems.set(c.sni, pair);
  }
  const [imapsPort, imapPort] = [await freePort(), await freePort()];
  const [pop3sPort, pop3Port] = pop3 ? [await freePort(), await freePort()] : [0, 0];
  const pop3Service = pop3
    ? `service pop3-login {\n  chroot =\n  inet_listener pop3 {\n    address = 127.0.0.1\n    port = ${pop3Port}\n  }\n`
      + `  inet_listener pop3s {\n    address = 127.0.0.1\n    port = ${pop3sPort}\n    ssl = yes\n  }\n}\n`
    : '';
  const localNames = certificates
    .map((c, i) => `local_name ${c.sni} {\n  ssl_cert = <${dir}/${i}.pem\n  ssl_key = <${dir}/${i}.key\n}\n`)
    .join('');
  writeFileSync(join(dir, 'dovecot.conf'), `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap${pop3 ? ' pop3' : ''}
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
${pop3Service}service anvil {
  chroot =
}
`);
  const { log, stop } = await runDovecot(dir);
  return {
    imapsPort,
    imapPort,
    pop3sPort,
    pop3Port,
    certificate: (sni) => pems.get(sni)?.cert ?? '',
    key: (sni) => pems.get(sni)?.key ?? '',
    log,
    stop,
  };
}
