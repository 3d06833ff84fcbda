// npm run demo: the test resolver with the fixture zones, and the CLI run against a few of them, offline.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

const ADDRESSES = [
  ['alice@example.test', 'everything published, implicit TLS, DNSSEC-signed'],
  ['carol@pop.test', 'POP3 preferred by priority (RFC 6186 §3.4)'],
  ['bob@starttls.test', 'STARTTLS only'],
  ['frank@outside.test', 'servers outside the domain, no DNSSEC: confirm before use (RFC 6186 §6)'],
  ['kim@mixed.test', 'broken records beside good ones'],
  ['henry@none.test', 'nothing published (exit 3)'],
];

if (spawnSync('sh', ['-c', 'command -v unbound && command -v ldns-signzone'], { stdio: 'ignore' }).status !== 0) {
  console.error('npm run demo needs Debian\'s unbound and ldnsutils: apt-get install -y unbound ldnsutils');
  process.exit(1);
}
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = server.address();
    server.close(() => resolve(p));
  });
});
const started = execFileSync('test/resolver/start', ['--port', String(port)], { encoding: 'utf8' });
const value = (key) => started.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1] ?? '';
try {
  console.log(`Test resolver: ${value('DOH_URL')} (unbound, fixture zones from test/resolver/zones)\n`);
  for (const [address, what] of ADDRESSES) {
    console.log(`$ srv-autoconfig ${address} --doh … --ca …    # ${what}`);
    const run = spawnSync(process.execPath, ['dist/cli.js', address, '--doh', value('DOH_URL'), '--ca', value('CA_FILE')], { encoding: 'utf8' });
    process.stdout.write(run.stdout);
    process.stdout.write(run.stderr);
    console.log(`(exit ${run.status})\n`);
  }
  console.log('Add --json for the machine-readable form.');
} finally {
  execFileSync('test/resolver/stop', ['--port', String(port)]);
}
