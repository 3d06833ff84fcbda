// Signs a zone file with ldns (ECDSA P-256, RFC 6605; NSEC3, RFC 5155) for the test DNS servers.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface ZoneFile {
  /** Lowercase, no trailing dot. */
  readonly origin: string;
  /** The file to serve: the signed one for a signed zone. */
  readonly file: string;
  /** The KSK's DNSKEY record (`<origin>. IN DNSKEY 257 3 13 <base64>`) to anchor trust in; null when unsigned. */
  readonly dnskey: string | null;
}

/** `<origin>.zone` → a copy in `dir`, signed when `sign` is set. */
export function prepareZone(dir: string, source: string, { sign }: { sign: boolean }): ZoneFile {
  const origin = basename(source).replace(/\.zone$/, '').toLowerCase();
  mkdirSync(join(dir, 'keys'), { recursive: true });
  const file = join(dir, `${origin}.zone`);
  copyFileSync(source, file);
  if (!sign) return { origin, file, dnskey: null };
  const run = (args: string[]): string =>
    execFileSync(args[0]!, args.slice(1), { cwd: join(dir, 'keys'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const ksk = run(['ldns-keygen', '-a', 'ECDSAP256SHA256', '-k', origin]);
  const zsk = run(['ldns-keygen', '-a', 'ECDSAP256SHA256', origin]);
  // NSEC3 denial validates under the empty non-terminal _tcp in BIND and Knot Resolver alike.
  run(['ldns-signzone', '-n', '-o', origin, file, ksk, zsk]);
  const dnskey = readFileSync(join(dir, 'keys', `${ksk}.key`), 'utf8').trim().split('\n').find((line) => /\sDNSKEY\s+257\s/.test(line));
  if (dnskey === undefined) throw new Error(`no KSK DNSKEY in ${ksk}.key`);
  // ldns ends the line with a comment (`;{id = …}`), which neither BIND nor Knot would read as key data.
  return { origin, file: `${file}.signed`, dnskey: dnskey.replace(/;.*$/, '').trim().replace(/\s+/g, ' ') };
}

/** `257 3 13 <base64>` of a DNSKEY line. */
export function keyFields(dnskey: string): { flags: number; protocol: number; algorithm: number; key: string } {
  const match = /\sDNSKEY\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+)$/.exec(dnskey);
  if (match === null) throw new Error(`not a DNSKEY line: ${dnskey}`);
  return { flags: Number(match[1]), protocol: Number(match[2]), algorithm: Number(match[3]), key: match[4]!.replace(/\s+/g, '') };
}
