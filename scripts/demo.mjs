// npm run demo: the test resolver with the fixture zones, and the CLI run against a few of them, offline.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import * as esbuild from 'esbuild';

const ADDRESSES = [
  ['alice@example.test', 'everything published, implicit TLS, DNSSEC-signed'],
  ['carol@pop.test', 'POP3 preferred by priority (RFC 6186 §3.4)'],
  ['bob@starttls.test', 'STARTTLS only'],
  ['frank@outside.test', 'servers outside the domain, no DNSSEC: confirm before use (RFC 6186 §6)'],
  ['kim@mixed.test', 'broken records beside good ones'],
  ['henry@none.test', 'nothing published (exit 3)'],
];

if (spawnSync('sh', ['-c', 'command -v unbound && command -v nsd && command -v ldns-signzone'], { stdio: 'ignore' }).status !== 0) {
  console.error('npm run demo needs Debian\'s unbound, nsd and ldnsutils: apt-get install -y unbound nsd ldnsutils');
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
// The MTA-STS policy hosts of the fixture zones, so the transport rows have something to fetch.
await esbuild.build({
  entryPoints: ['test/support/policy-server.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: 'dist/policy-server.mjs',
  logLevel: 'warning',
});
const { startPolicyServer } = await import(new URL('../dist/policy-server.mjs', import.meta.url).href);
const policies = await startPolicyServer(value('STATE_DIR')).catch((error) => {
  console.log(`(no MTA-STS policy server: ${error.message}; the MTA-STS rows will say the policy could not be fetched)`);
  return null;
});
try {
  console.log(`Test resolver: ${value('DOH_URL')} (unbound, fixture zones from test/resolver/zones)\n`);
  for (const [address, what] of ADDRESSES) {
    console.log(`$ srv-autoconfig ${address} --doh … --ca … --no-probe    # ${what}`);
    // Asynchronously: the policy server answers from this very process meanwhile.
    const run = await new Promise((resolve) => {
      execFile(
        process.execPath,
        ['dist/cli.js', address, '--doh', value('DOH_URL'), '--ca', value('CA_FILE'), '--no-probe'],
        (error, stdout, stderr) => resolve({ status: error?.code ?? 0, stdout, stderr }),
      );
    });
    process.stdout.write(run.stdout);
    process.stdout.write(run.stderr);
    console.log(`(exit ${run.status})\n`);
  }
  console.log('Add --json for the machine-readable form.');
} finally {
  await policies?.close();
  execFileSync('test/resolver/stop', ['--port', String(port)]);
}
