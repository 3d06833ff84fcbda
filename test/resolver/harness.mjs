// The test resolver (README, "The test resolver"): unbound serving the fixture zones over DoH on 127.0.0.1, validating
// them as it would any signed zone on the Internet: NSD (Debian's `nsd`) serves the zones on a
// loopback port and unbound reaches it through `stub-zone`s. unbound's own `auth-zone` is not used:
// 1.17 picks the NSEC for the wildcard at the apex instead of at the empty non-terminal `_tcp`, so a
// zone with `_mta-sts` TXT beside `_imaps._tcp` SRV got SERVFAIL ("nameerror proof failed") for the
// SRV labels it lacks (RFC 4035 §3.1.3.2 wants `*._tcp` denied), where a real authoritative server
// gives NXDOMAIN with AD.
// `<origin>.zone` is signed at start with its trust anchor installed (answers carry AD);
// `<origin>.unsigned.zone` is served as an insecure zone (no AD); `<origin>.bogus.zone` is signed
// but anchored to another key, so validation fails and the resolver answers SERVFAIL.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import dgram from 'node:dgram';
import http2 from 'node:http2';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
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
const nsdPidFile = join(state, 'nsd.pid');
const execFileAsync = promisify(execFile);

if (command === 'start') await start(resolve(values.zones ?? join(here, 'zones')));
else if (command === 'stop') stop();
else fail('usage: harness.mjs start|stop [--zones DIR] [--port N]');

function fail(message) {
  process.stderr.write(`test resolver: ${message}\n`);
  process.exit(1);
}

/** Runs a tool in the state folder without blocking, so the zones are signed side by side. */
async function runAsync(file, args, cwd = state) {
  return (await execFileAsync(file, args, { cwd, encoding: 'utf8' })).stdout.trim();
}

function runningPid(file = pidFile) {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function start(zoneDir) {
  for (const tool of ['unbound', 'nsd', 'ldns-keygen', 'ldns-signzone', 'openssl']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`]).status === 0;
    if (!found) fail(`${tool} is not installed (apt-get install unbound nsd ldnsutils openssl)`);
  }
  if (runningPid() !== null) fail(`already running on port ${port}; run test/resolver/stop --port ${port} first`);
  if (!existsSync(zoneDir)) fail(`no zone folder ${zoneDir}`);
  rmSync(state, { recursive: true, force: true });
  mkdirSync(join(state, 'zones'), { recursive: true });

  const files = readdirSync(zoneDir).filter((f) => f.endsWith('.zone')).sort();
  if (files.length === 0) fail(`no *.zone files in ${zoneDir}`);
  mkdirSync(join(state, 'keys'));
  const [zones] = await Promise.all([Promise.all(files.map((file) => prepareZone(zoneDir, file))), makeCertificates()]);
  const nsdPort = await freePort();
  writeFileSync(join(state, 'nsd.conf'), nsdConfig(zones, nsdPort));
  const nsdBinary = existsSync('/usr/sbin/nsd') ? '/usr/sbin/nsd' : 'nsd';
  const nsd = spawnSync(nsdBinary, ['-c', join(state, 'nsd.conf')], { cwd: state, encoding: 'utf8' });
  if (nsd.status !== 0) {
    const log = readLog('nsd.log');
    stop(true);
    fail(`nsd did not start: ${nsd.stderr}${log}`);
  }
  const nsdDeadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await nsdAnswers(nsdPort, zones[0].origin))) {
    if (Date.now() > nsdDeadline) {
      const log = readLog('nsd.log');
      stop(true);
      fail(`nsd did not answer on 127.0.0.1 port ${nsdPort} within ${READY_TIMEOUT_MS} ms${log}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  writeFileSync(join(state, 'unbound.conf'), config(zones, nsdPort));
  const check = spawnSync('unbound-checkconf', [join(state, 'unbound.conf')], { encoding: 'utf8' });
  if (check.status !== 0) {
    stop(true);
    fail(`unbound-checkconf: ${check.stderr || check.stdout}`);
  }
  const started = spawnSync('unbound', ['-c', join(state, 'unbound.conf')], { cwd: state, encoding: 'utf8' });
  if (started.status !== 0) {
    const log = readLog();
    stop(true);
    fail(`unbound did not start: ${started.stderr}${log}`);
  }

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
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write(`DOH_URL=${url}\nCA_FILE=${join(state, 'ca.pem')}\nSTATE_DIR=${state}\n`);
}

function readLog(name = 'unbound.log') {
  const log = join(state, name);
  return existsSync(log) ? `\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}` : '';
}

/** A throwaway CA and a certificate for 127.0.0.1 and localhost, valid for two days. */
async function makeCertificates() {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await runAsync('openssl', ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=SRV Autoconfig test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await runAsync('openssl', ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(state, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  await runAsync('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-out', 'server.pem', '-extfile', 'server.ext']);
}

/** Copies (and signs) one zone file; returns what the config needs to know of it. */
async function prepareZone(zoneDir, file) {
  const kind = file.endsWith('.unsigned.zone') ? 'unsigned' : file.endsWith('.bogus.zone') ? 'bogus' : 'signed';
  const origin = file.slice(0, -(kind === 'signed' ? '.zone' : `.${kind}.zone`).length).toLowerCase();
  const target = join(state, 'zones', `${origin}.zone`);
  copyFileSync(join(zoneDir, file), target);
  if (kind === 'unsigned') return { origin, kind, zonefile: target };
  const keys = join(state, 'keys');
  // ECDSA P-256 (RFC 6605) with NSEC (RFC 4034 §4), as most signed mail domains publish.
  const [ksk, zsk] = await Promise.all([
    runAsync('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', origin], keys),
    runAsync('ldns-keygen', ['-a', 'ECDSAP256SHA256', origin], keys),
  ]);
  await runAsync('ldns-signzone', ['-o', origin, target, join(keys, ksk), join(keys, zsk)]);
  let anchorKey = join(keys, `${ksk}.key`);
  if (kind === 'bogus') anchorKey = join(keys, `${await runAsync('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', origin], keys)}.key`);
  const anchor = join(state, 'zones', `${origin}.anchor`);
  copyFileSync(anchorKey, anchor);
  return { origin, kind, zonefile: `${target}.signed`, anchor };
}

/** A port free for TCP and UDP on 127.0.0.1 (NSD answers on both), as the kernel hands it out. */
async function freePort() {
  for (;;) {
    const candidate = await new Promise((done, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address();
        server.close(() => done(p));
      });
    });
    const udpFree = await new Promise((done) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => done(false));
      socket.bind(candidate, '127.0.0.1', () => socket.close(() => done(true)));
    });
    if (udpFree) return candidate;
  }
}

/** NSD as an authoritative-only server for every zone, run as the current user from the state folder. */
function nsdConfig(zones, nsdPort) {
  const lines = [
    'server:',
    '  ip-address: 127.0.0.1',
    `  port: ${nsdPort}`,
    '  do-ip6: no',
    '  username: ""',
    '  chroot: ""',
    `  zonesdir: "${join(state, 'zones')}"`,
    `  pidfile: "${nsdPidFile}"`,
    `  logfile: "${join(state, 'nsd.log')}"`,
    '  database: ""',
    `  zonelistfile: "${join(state, 'nsd.zonelist')}"`,
    `  xfrdfile: "${join(state, 'nsd.xfrd')}"`,
    `  xfrdir: "${state}"`,
    '  server-count: 1',
    '  verbosity: 1',
    'remote-control:',
    '  control-enable: no',
    ...zones.flatMap((z) => ['zone:', `  name: "${z.origin}"`, `  zonefile: "${z.zonefile}"`]),
  ];
  return `${lines.join('\n')}\n`;
}

/** True once NSD answers a plain UDP SOA query for the zone. */
function nsdAnswers(nsdPort, origin) {
  return new Promise((done) => {
    const socket = dgram.createSocket('udp4');
    let finished = false;
    const finish = (ok) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      done(ok);
    };
    const timer = setTimeout(() => finish(false), 200);
    socket.on('error', () => finish(false));
    socket.on('message', (message) => {
      try {
        finish(packet.decode(message).rcode === 'NOERROR');
      } catch {
        finish(false);
      }
    });
    socket.send(packet.encode({ type: 'query', id: 1, questions: [{ type: 'SOA', name: origin }] }), nsdPort, '127.0.0.1');
  });
}

function config(zones, nsdPort) {
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
    // The authoritative server is NSD on loopback, which unbound otherwise never asks.
    '  do-not-query-localhost: no',
    '  val-log-level: 2',
    ...zones.flatMap((z) => (z.kind === 'unsigned' ? [`  domain-insecure: "${z.origin}"`] : [`  trust-anchor-file: "${z.anchor}"`])),
    'remote-control:',
    '  control-enable: no',
    ...zones.flatMap((z) => ['stub-zone:', `  name: "${z.origin}"`, `  stub-addr: 127.0.0.1@${nsdPort}`]),
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

/** Stops unbound and NSD and removes their folder (keys, certificates, logs), so nothing is left in /tmp. */
function stop(quiet = false) {
  const pids = [runningPid(pidFile), runningPid(nsdPidFile)].filter((pid) => pid !== null);
  if (pids.length === 0 && !quiet) process.stderr.write(`test resolver: nothing running on port ${port}\n`);
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
  for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
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
