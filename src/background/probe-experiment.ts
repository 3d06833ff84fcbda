// The probe Experiment (src/experiments/probe) as a typed value, null outside Thunderbird; its glue
// (src/background/probe-connection.ts) is loaded on the first probe (docs/performance.md#bundle-sizes).
import type { Connect, ConnectionFailure, LineResult, TlsFacts } from '../core/probe/connection.ts';
import type { ServerRef } from '../core/index.ts';
import type { Browser } from '../browser-api.ts';
import { loadProbeGlue } from './thunderbird-parts.ts';

/** TlsFacts as they cross the Experiment boundary: the chain as base64url DER, leaf first. */
export interface WireTls extends Omit<TlsFacts, 'chain'> {
  readonly chain: readonly string[];
}
export type WireFailure = { readonly ok: false; readonly reason: ConnectionFailure; readonly detail: string };

export interface ProbeExperiment {
  connect(request: { host: string; port: number; tls: boolean; timeoutMs: number; maxLineOctets: number }):
    Promise<{ readonly ok: true; readonly id: number; readonly tls?: WireTls } | WireFailure>;
  readLine(id: number): Promise<LineResult>;
  writeLine(id: number, line: string): Promise<{ readonly ok: true } | WireFailure>;
  startTls(id: number): Promise<{ readonly ok: true; readonly tls: WireTls } | WireFailure>;
  close(id: number): Promise<void>;
  knowsOAuth2(hostname: string, protocol: 'imap' | 'pop3' | 'smtp'): Promise<boolean>;
}

export function probeExperiment(browser: Browser): ProbeExperiment | null {
  return browser.srvAutoconfigProbe ?? null;
}

/** Platform.connect and Thunderbird's OAuth2 registry, each loading the glue on first use; both undefined elsewhere. */
export function lazyProbeGlue(browser: Browser): { connect?: Connect; knowsOAuth2?: (server: ServerRef) => Promise<boolean> } {
  const experiment = probeExperiment(browser);
  if (experiment === null) return {};
  return {
    connect: async (request) => (await loadProbeGlue()).probeConnect(experiment)(request),
    knowsOAuth2: async (server) => (await loadProbeGlue()).oauth2Registry(experiment)(server),
  };
}
