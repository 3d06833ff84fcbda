// dohdec 6 (npm) asking the six SRV labels at once on one warm HTTP/2 connection; prints the run times as JSON.
// Usage: node bench/peers/dohdec.mjs DOH_URL RUNS NAME... (CA from NODE_EXTRA_CA_CERTS)
import { DNSoverHTTPS } from 'dohdec';

const [url, runs, ...names] = process.argv.slice(2);
const doh = new DNSoverHTTPS({ url, http2: true });
const all = () => Promise.all(names.map((name) => doh.lookup(name, { rrtype: 'SRV', json: false, dnssec: true })));
const answers = await all(); // warm-up: opens the connection
if (answers.some((a) => a.rcode !== 'NOERROR')) throw new Error(`dohdec: ${answers.map((a) => a.rcode).join(' ')}`);
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const started = performance.now();
  await all();
  times.push(performance.now() - started);
}
process.stdout.write(JSON.stringify(times));
process.exit(0); // http2-wrapper keeps its session open
