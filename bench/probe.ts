// The server probe's figure (docs/performance.md): warm discovery with transport checks, with and without probing both
// servers (dovecot IMAPS with CAPABILITY in its greeting, postfix submission), the resolver and both mail servers
// behind delay proxies at the same RTT, and where a probed discovery's round trips go: timestamps from the DoH fetch, the
// sockets (address lookup, TCP, TLS) and the probe's lines (greeting, CAPABILITY / EHLO reply).
import packet from 'dns-packet';
import { createNodePlatform } from '../src/cli/platform.ts';
import { autoconfigure, parseAddress, type Connect, type DiscoveryOptions, type Fetch } from '../src/core/index.ts';
import { PORTS, startProbeServers } from '../test/support/probe-servers.ts';
import { startDelayProxy } from './delay-proxy.ts';
import type { BenchNetwork } from './setup.ts';
import { watchSockets, type SocketTimes } from './socket-timing.ts';
import { repeat, RUNS, stats, time, type Stats } from './timing.ts';

const SERVER_HOST = '127.0.0.2'; // the real servers; 127.0.0.1 holds the delaying proxies the SRV records lead to
const ADDRESS = 'alice@good.probe.test';

/** One probed server's steps, ms after the discovery started. */
export interface ServerSteps { readonly address: Stats; readonly tcp: Stats; readonly tls: Stats; readonly lines: readonly Stats[] }

export interface ProbeRow {
  readonly rtt: number;
  /** Warm, transport checks on, no probe: the reference. */
  readonly without: Stats;
  /** Warm, transport checks and both servers probed (the ≤ 4 × RTT figure). */
  readonly probed: Stats;
  /** Where a probed run's time goes, ms after it started. */
  readonly srv: Stats;
  readonly tlsa: Stats;
  readonly servers: { readonly [port: number]: ServerSteps };
}

interface Steps { srv: number; tlsa: number; servers: Map<number, { socket: SocketTimes | undefined; lines: number[] }> }

export async function probeFigures(net: BenchNetwork, rtts: readonly number[]): Promise<ProbeRow[]> {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  try {
    const servers = await startProbeServers(net.stateDir, { host: SERVER_HOST, hostile: false });
    cleanups.push(servers.stop);
    const proxies = await Promise.all([PORTS.imaps, PORTS.submissions].map((port) =>
      startDelayProxy({ host: SERVER_HOST, port }, { host: '127.0.0.1', port })));
    for (const p of proxies) cleanups.push(() => p.close());
    const base: DiscoveryOptions = { resolvers: [net.doh], method: 'GET', timeoutMs: 5000, transport: true };
    const node = createNodePlatform(net.caFile, base);
    cleanups.push(() => node.close());
    const sockets = watchSockets();
    cleanups.push(() => sockets.stop());
    const parsed = parseAddress(ADDRESS, node.platform);
    if (!parsed.ok) throw new Error(parsed.reason);

    let steps: Steps | undefined;
    let started = 0;
    const since = (): number => performance.now() - started;
    const fetch: Fetch = async (url, request) => {
      const response = await node.platform.fetch(url, request);
      const query = new URL(url).searchParams.get('dns');
      const type = query === null ? null : packet.decode(Buffer.from(query, 'base64url')).questions?.[0]?.type;
      if (steps !== undefined && type === 'SRV') steps.srv = Math.max(steps.srv, since());
      if (steps !== undefined && type === 'TLSA') steps.tlsa = Math.max(steps.tlsa, since());
      return response;
    };
    const connect: Connect = async (request) => {
      const entry = { lines: [] as number[], socket: undefined as SocketTimes | undefined };
      steps?.servers.set(request.port, entry);
      const opened = sockets.next(request.port, started);
      const result = await (node.platform.connect as Connect)(request);
      entry.socket = opened();
      if (!result.ok) return result;
      const connection = result.connection;
      const readLine: typeof connection.readLine = async () => {
        const line = await connection.readLine();
        entry.lines.push(since());
        return line;
      };
      const timed: typeof connection = {
        readLine, writeLine: (l) => connection.writeLine(l), startTls: () => connection.startTls(), close: () => connection.close(),
      };
      return { ...result, connection: timed };
    };
    const platform = { ...node.platform, fetch, connect };
    const run = (probe: boolean) => async (): Promise<void> => {
      const result = await autoconfigure(parsed.value, { ...base, probe }, platform);
      const probed = result.incoming?.probe?.status === 'ok' && result.outgoing?.probe?.status === 'ok';
      if (result.status !== 'found' || (probe && !probed)) throw new Error(`probe bench: ${result.status} ${JSON.stringify(result.badge)}`);
    };
    const rows: ProbeRow[] = [];
    for (const rtt of rtts) {
      net.setRtt(rtt);
      for (const p of proxies) p.setDelay(rtt / 2);
      await time(run(true), 'probe warm-up'); // the resolver's and the policy host's connections open
      const without = await repeat(RUNS, () => time(run(false), 'transport'));
      const all: Steps[] = [];
      const probed = await repeat(RUNS, async () => {
        steps = { srv: -Infinity, tlsa: -Infinity, servers: new Map() };
        started = performance.now();
        const ms = await time(run(true), 'probe');
        all.push(steps);
        steps = undefined;
        return ms;
      });
      const of = (pick: (s: Steps) => number | undefined): Stats => stats(all.map((s) => {
        const value = pick(s) ?? NaN;
        return Number.isFinite(value) ? value : NaN; // a step that never happened
      }));
      const server = (port: number): ServerSteps => {
        const at = (pick: (t: SocketTimes) => number | undefined) => of((s) => {
          const t = s.servers.get(port)?.socket;
          return t === undefined ? NaN : pick(t);
        });
        const lineCount = Math.max(0, ...all.map((s) => s.servers.get(port)?.lines.length ?? 0));
        return {
          address: at((t) => t.lookup), tcp: at((t) => t.connect), tls: at((t) => t.secure),
          lines: Array.from({ length: lineCount }, (_, i) => of((s) => s.servers.get(port)?.lines[i])),
        };
      };
      rows.push({
        rtt, without: stats(without), probed: stats(probed), srv: of((s) => s.srv), tlsa: of((s) => s.tlsa),
        servers: { [PORTS.imaps]: server(PORTS.imaps), [PORTS.submissions]: server(PORTS.submissions) },
      });
    }
    return rows;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}
