// Server certificates for the test servers, signed by the test resolver's throwaway CA (openssl).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
  readonly certFile: string;
}

/**
 * `names`: DNS names, `IP:` entries or `otherName:` SRVName entries for subjectAltName; `selfSigned` makes one no CA
 * vouches for; `days` -1 makes one that has expired; `keyFile` keeps a fixed key (a TLSA record's SPKI hash).
 */
export function issue(dir: string, stem: string, names: readonly string[], { selfSigned = false, days = 2, keyFile = '' } = {}): KeyPair {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const san = names.map((n) => (n.startsWith('IP:') || n.startsWith('otherName:') ? n : `DNS:${n}`)).join(',');
  if (keyFile !== '') writeFileSync(join(dir, `${stem}.key`), readFileSync(keyFile));
  const ec = keyFile !== ''
    ? ['-new', '-key', `${stem}.key`]
    : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${stem}.key`];
  if (selfSigned) {
    run(['req', '-x509', ...ec, '-out', `${stem}.pem`, '-days', String(days), '-subj', `/CN=${stem}`, '-addext', `subjectAltName=${san}`]);
  } else {
    run(['req', ...ec, '-out', `${stem}.csr`, '-subj', `/CN=${stem}`]);
    writeFileSync(join(dir, `${stem}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    run([
      'x509',
      '-req',
      '-in',
      `${stem}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      String(days),
      '-out',
      `${stem}.pem`,
      '-extfile',
      `${stem}.ext`,
    ]);
  }
  return {
    key: readFileSync(join(dir, `${stem}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${stem}.pem`), 'utf8'),
    certFile: join(dir, `${stem}.pem`),
  };
}
