// The bench's network: the test resolver and the MTA-STS policy server, each behind a delay proxy on loopback.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../test/support/global-resolver.ts';
import { startPolicyServer, POLICY_PORT } from '../test/support/policy-server.ts';
import { startDelayProxy, type DelayProxy } from './delay-proxy.ts';

const POLICY_HOST = '127.0.0.2'; // the real policy server; 127.0.0.1:443 is the delaying proxy in front of it

export interface BenchNetwork {
  /** The DoH URL, through the delay proxy. */
  readonly doh: string;
  /** The same resolver without the proxy. */
  readonly direct: string;
  readonly caFile: string;
  /** The resolver's and the policy hosts' server certificates, for Chromium's key pinning. */
  readonly serverPems: readonly string[];
  readonly stateDir: string;
  readonly dohProxy: DelayProxy;
  readonly policyProxy: DelayProxy;
  setRtt(rtt: number): void;
  /** Every client starts over: the next request opens new connections. */
  dropConnections(): void;
  readonly cleanups: (() => Promise<void> | void)[];
}

export async function startBenchNetwork(): Promise<BenchNetwork> {
  const resolverPort = await freePort();
  const started = execFileSync('test/resolver/start', ['--port', String(resolverPort)], { encoding: 'utf8' });
  const value = (key: string): string => started.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1] ?? '';
  const cleanups: (() => Promise<void> | void)[] = [() => void execFileSync('test/resolver/stop', ['--port', String(resolverPort)])];
  const dohProxy = await startDelayProxy({ host: '127.0.0.1', port: resolverPort }, { host: '127.0.0.1', port: 0 });
  cleanups.push(() => dohProxy.close());
  const policies = await startPolicyServer(value('STATE_DIR'), POLICY_HOST);
  cleanups.push(() => policies.close());
  const policyProxy = await startDelayProxy({ host: POLICY_HOST, port: POLICY_PORT }, { host: '127.0.0.1', port: POLICY_PORT });
  cleanups.push(() => policyProxy.close());
  return {
    doh: `https://127.0.0.1:${dohProxy.port}/dns-query`,
    direct: `https://127.0.0.1:${resolverPort}/dns-query`,
    caFile: value('CA_FILE'),
    serverPems: [join(value('STATE_DIR'), 'server.pem'), ...policies.certificates],
    stateDir: value('STATE_DIR'),
    dohProxy,
    policyProxy,
    setRtt: (rtt) => {
      dohProxy.setDelay(rtt / 2);
      policyProxy.setDelay(rtt / 2);
    },
    dropConnections: () => {
      dohProxy.dropConnections();
      policyProxy.dropConnections();
    },
    cleanups,
  };
}
