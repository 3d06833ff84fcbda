// The test resolver (DESIGN §5): unbound serving the fixture zones over DoH on 127.0.0.1.
// `<origin>.zone` is signed at start with its trust anchor installed (answers carry AD);
// `<origin>.unsigned.zone` is served as an insecure zone (no AD); `<origin>.bogus.zone` is signed
// but anchored to another key, so validation fails and the resolver answers SERVFAIL.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as packet from 'dns-packet';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_PORT = 18443;
const READY_TIMEOUT_MS = 15000;

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({ args: rest, options: { zones: { type: 'string' }, port: { type: 'string' } } });
const port = Number(values.port ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port ${values.port} is not a TCP port`);
const state = join(tmpdir(), `srv-autoconfig-resolver-${port}`);
const pidFile = join(state, 'unbound.pid');

if (command === 'start') await start(resolve(values.zones ?? join(here, 'zones')));
else if (command === 'stop') stop();
else fail('usage: harness.mjs start|stop [--zones DIR] [--port N]');

function fail(message) {
  process.stderr.write(`test resolver: ${message}\n`);
  process.exit(1);
}

function run(file, args, cwd = state) {
  return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function runningPid() {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function start(zoneDir) {
  for (const tool of ['unbound', 'ldns-keygen', 'ldns-signzone', 'openssl']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) fail(`${tool} is not installed (apt-get install unbound ldnsutils openssl)`);
  }
  if (runningPid() !== null) fail(`already running on port ${port}; run test/resolver/stop --port ${port} first`);
  if (!existsSync(zoneDir)) fail(`no zone folder ${zoneDir}`);
  rmSync(state, { recursive: true, force: true });
  mkdirSync(join(state, 'zones'), { recursive: true });

  makeCertificates();
  const zones = readdirSync(zoneDir).filter((f) => f.endsWith('.zone')).sort().map((file) => prepareZone(zoneDir, file));
  if (zones.length === 0) fail(`no *.zone files in ${zoneDir}`);
  writeFileSync(join(state, 'unbound.conf'), config(zones));
  const check = spawnSync('unbound-checkconf', [join(state, 'unbound.conf')], { encoding: 'utf8' });
  if (check.status !== 0) fail(`unbound-checkconf: ${check.stderr || check.stdout}`);
  const started = spawnSync('unbound', ['-c', join(state, 'unbound.conf')], { cwd: state, encoding: 'utf8' });
  if (started.status !== 0) fail(`unbound did not start: ${started.stderr}${readLog()}`);

  const url = `https://127.0.0.1:${port}/dns-query`;
  const ca = readFileSync(join(state, 'ca.pem'), 'utf8');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (await answers(url, ca, zones[0].origin)) break;
    if (Date.now() > deadline) {
      const log = readLog();
      stop(true);
      fail(`unbound did not answer on ${url} within ${READY_TIMEOUT_MS} ms${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write(`DOH_URL=${url}\nCA_FILE=${join(state, 'ca.pem')}\nSTATE_DIR=${state}\n`);
}

function readLog() {
  const log = join(state, 'unbound.log');
  return existsSync(log) ? `\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}` : '';
}

/** A throwaway CA and a certificate for 127.0.0.1 and localhost, valid for two days. */
function makeCertificates() {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('openssl', ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=SRV Autoconfig test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run('openssl', ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(state, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  run('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-out', 'server.pem', '-extfile', 'server.ext']);
}

/** Copies (and signs) one zone file; returns what the config needs to know of it. */
function prepareZone(zoneDir, file) {
  const kind = file.endsWith('.unsigned.zone') ? 'unsigned' : file.endsWith('.bogus.zone') ? 'bogus' : 'signed';
  const origin = file.slice(0, -(kind === 'signed' ? '.zone' : `.${kind}.zone`).length).toLowerCase();
  const target = join(state, 'zones', `${origin}.zone`);
  copyFileSync(join(zoneDir, file), target);
  if (kind === 'unsigned') return { origin, kind, zonefile: target };
  const keys = join(state, 'keys');
  mkdirSync(keys, { recursive: true });
  // ECDSA P-256 (RFC 6605) with NSEC: NSEC3 denial under the empty non-terminal _tcp fails to validate.
  const ksk = run('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', origin], keys);
  const zsk = run('ldns-keygen', ['-a', 'ECDSAP256SHA256', origin], keys);
  run('ldns-signzone', ['-o', origin, target, join(keys, ksk), join(keys, zsk)]);
  let anchorKey = join(keys, `${ksk}.key`);
  if (kind === 'bogus') anchorKey = join(keys, `${run('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', origin], keys)}.key`);
  const anchor = join(state, 'zones', `${origin}.anchor`);
  copyFileSync(anchorKey, anchor);
  return { origin, kind, zonefile: `${target}.signed`, anchor };
}

function config(zones) {
  const lines = [
    'server:',
    '  username: ""',
    '  chroot: ""',
    `  directory: "${state}"`,
    `  pidfile: "${pidFile}"`,
    `  logfile: "${join(state, 'unbound.log')}"`,
    '  use-syslog: no',
    '  verbosity: 1',
    '  num-threads: 1',
    '  do-ip6: no',
    `  interface: 127.0.0.1@${port}`,
    `  https-port: ${port}`,
    '  http-endpoint: "/dns-query"',
    `  tls-service-key: "${join(state, 'server.key')}"`,
    `  tls-service-pem: "${join(state, 'server.pem')}"`,
    '  access-control: 127.0.0.0/8 allow',
    '  module-config: "validator iterator"',
    // RFC 6761 makes .test a static local zone in unbound; the fixtures live under it.
    '  local-zone: "test." nodefault',
    '  val-log-level: 2',
    ...zones.flatMap((z) => (z.kind === 'unsigned' ? [`  domain-insecure: "${z.origin}"`] : [`  trust-anchor-file: "${z.anchor}"`])),
    'remote-control:',
    '  control-enable: no',
    ...zones.flatMap((z) => [
      'auth-zone:',
      `  name: "${z.origin}"`,
      `  zonefile: "${z.zonefile}"`,
      '  for-upstream: yes',
      '  for-downstream: no',
      '  fallback-enabled: no',
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

/** True once the resolver gives an HTTP 200 DNS answer for the zone's SOA. */
function answers(url, ca, origin) {
  return new Promise((done) => {
    const query = packet.encode({ type: 'query', id: 0, flags: packet.RECURSION_DESIRED, questions: [{ type: 'SOA', name: origin }] });
    const target = new URL(url);
    const session = http2.connect(target.origin, { ca });
    const finish = (ok) => {
      session.destroy();
      done(ok);
    };
    session.on('error', () => finish(false));
    const stream = session.request({ ':method': 'POST', ':path': target.pathname, 'content-type': 'application/dns-message' });
    stream.on('error', () => finish(false));
    stream.on('response', (headers) => finish(headers[':status'] === 200));
    stream.end(query);
    setTimeout(() => finish(false), 2000).unref();
  });
}

/** Stops unbound and removes its folder (keys, certificates, log), so nothing is left in /tmp. */
function stop(quiet = false) {
  const pid = runningPid();
  if (pid === null) {
    if (!quiet) process.stderr.write(`test resolver: nothing running on port ${port}\n`);
  } else {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(state, { recursive: true, force: true });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
