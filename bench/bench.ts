// npm run bench: discovery speed as multiples of the resolver round trip (docs/performance.md) — our CLI core, the
// add-on in Chromium, and peers, in one run through the same delay proxy — plus cache, bundle sizes and popup time.
// Writes bench/results.md and the README's performance section.
import { bundleSizes } from './bundle-sizes.ts';
import { startChromiumBench, type ChromiumRow } from './chromium-figures.ts';
import { cachedRediscovery, coldBreakdown, nodeFigures, type NodeRow } from './node-figures.ts';
import { render, writeReport } from './report.ts';
import { probeFigures } from './probe.ts';
import { startBenchNetwork } from './setup.ts';
import { thunderbirdFigures } from './thunderbird-figures.ts';
import { RTTS } from './timing.ts';

async function main(): Promise<void> {
  const started = performance.now();
  const net = await startBenchNetwork();
  try {
    const chromium = await startChromiumBench(net);
    net.cleanups.push(() => chromium.close()); // a second close is a no-op
    const nodeRows: NodeRow[] = [];
    const chromiumRows: ChromiumRow[] = [];
    for (const rtt of RTTS) {
      net.setRtt(rtt);
      process.stdout.write(`RTT ${rtt} ms: `);
      nodeRows.push(await nodeFigures(net, rtt));
      chromiumRows.push(await chromium.figures(rtt));
      process.stdout.write(' done\n');
    }
    process.stdout.write('Server probe: ');
    const probe = await probeFigures(net, RTTS);
    process.stdout.write(' done\n');
    const cold = await coldBreakdown(net);
    net.setRtt(50);
    const cached = await cachedRediscovery(net);
    const popup = await chromium.popupOpen();
    await chromium.close();
    process.stdout.write('Thunderbird: ');
    const thunderbird = await thunderbirdFigures(net, RTTS);
    const minutes = (performance.now() - started) / 60000;
    const report = render({ nodeRows, chromiumRows, probe, thunderbird, cold, cached, bundles: bundleSizes(), popup, minutes });
    writeReport(report);
    console.log(`\n${report}`);
  } finally {
    for (const cleanup of net.cleanups.reverse()) await cleanup();
  }
}

await main();
