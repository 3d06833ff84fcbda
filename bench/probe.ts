// The server probe's added wall time (docs/performance.md): warm discovery with transport checks, with and without
// probing both servers (dovecot IMAPS and postfix submission), DoH and mail servers behind delaying proxies.
// Run: node bench/run.mjs bench/probe.ts
import { execFileSync } from 'node:child_process';
import { createNodePlatform } from '../src/cli/platform.ts';
import { autoconfigure, parseAddress, type DiscoveryOptions } from '../src/core/index.ts';
import { freePort } from '../test/support/global-resolver.ts';
import { PORTS, startProbeServers } from '../test/support/probe-servers.ts';
import { startDelayProxy } from './delay-proxy.ts';

const RTTS = [20, 50];
const RUNS = 15;
const SERVER_HOST = '127.0.0.2'; // the real servers; 127.0.0.1 holds the delaying proxies the SRV records lead to

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const resolverPort = await freePort();
  const started = execFileSync('test/resolver/start', ['--port', String(resolverPort)], { encoding: 'utf8' });
  const value = (key: string): string => started.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1] ?? '';
  const cleanups: (() => Promise<unknown> | void)[] = [() => void execFileSync('test/resolver/stop', ['--port', String(resolverPort)])];
  try {
    const servers = await startProbeServers(value('STATE_DIR'), { host: SERVER_HOST, hostile: false });
    cleanups.push(servers.stop);
    const proxies = await Promise.all([
      startDelayProxy({ host: '127.0.0.1', port: resolverPort }, { host: '127.0.0.1', port: 0 }),
      startDelayProxy({ host: SERVER_HOST, port: PORTS.imaps }, { host: '127.0.0.1', port: PORTS.imaps }),
      startDelayProxy({ host: SERVER_HOST, port: PORTS.submissions }, { host: '127.0.0.1', port: PORTS.submissions }),
    ]);
    for (const p of proxies) cleanups.push(() => p.close());
    const doh = `https://127.0.0.1:${proxies[0].port}/dns-query`;
    const base: DiscoveryOptions = { resolvers: [doh], method: 'GET', timeoutMs: 5000, transport: true };
    const node = createNodePlatform(value('CA_FILE'), base);
    cleanups.push(() => node.close());
    const parsed = parseAddress('alice@good.probe.test', node.platform);
    if (!parsed.ok) throw new Error(parsed.reason);
    const time = async (probe: boolean): Promise<number> => {
      const t0 = performance.now();
      const result = await autoconfigure(parsed.value, { ...base, probe }, node.platform);
      const probed = result.incoming?.probe?.status === 'ok' && result.outgoing?.probe?.status === 'ok';
      if (probe && !probed) throw new Error(JSON.stringify(result.badge));
      return performance.now() - t0;
    };
    for (const rtt of RTTS) {
      for (const p of proxies) p.setDelay(rtt / 2);
      await time(false); // warm: the HTTP/2 connection to the resolver is open
      const without: number[] = [];
      const withProbe: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        without.push(await time(false));
        withProbe.push(await time(true));
      }
      const a = median(without);
      const b = median(withProbe);
      const ms = (x: number): string => `${x.toFixed(1)} ms (${(x / rtt).toFixed(2)} × RTT)`;
      console.log(`RTT ${rtt} ms: warm with transport ${ms(a)}; with the probe ${ms(b)}; the probe adds ${ms(b - a)}, median of ${RUNS}`);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

await main();
