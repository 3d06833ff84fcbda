// Platform.connect in Thunderbird: the probe Experiment (src/experiments/probe) behind the core's Connect, so the
// server probe uses Thunderbird's own sockets, TLS stack and trust store (RFC 6186 §6). Loaded by probe-experiment.ts.
import type { Connect, ConnectResult, TlsFacts } from '../core/probe/connection.ts';
import type { ServerRef } from '../core/index.ts';
import type { ProbeExperiment, WireFailure, WireTls } from './probe-experiment.ts';

// The Experiment's own bound on a connection, behind the caller's signal, in case the background goes away.
const EXPERIMENT_LIMIT_MS = 30000;
const TIMED_OUT: WireFailure = { ok: false, reason: 'connect-timeout', detail: 'the probe\'s time limit ran out' };

function bytesOf(base64url: string): Uint8Array {
  const binary = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const factsOf = (tls: WireTls): TlsFacts => ({ ...tls, chain: tls.chain.map(bytesOf) });

/** `promise`, or TIMED_OUT as soon as `signal` fires. */
function bounded<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | WireFailure> {
  if (signal.aborted) return Promise.resolve(TIMED_OUT);
  return new Promise((resolve, reject) => {
    const abort = () => resolve(TIMED_OUT);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

export function probeConnect(experiment: ProbeExperiment): Connect {
  return async ({ host, port, tls, signal, maxLineOctets }): Promise<ConnectResult> => {
    if (signal.aborted) return TIMED_OUT;
    // The Experiment refuses a call over its bound of open connections: that server is then not reached, nothing more.
    const opening = experiment.connect({ host, port, tls, timeoutMs: EXPERIMENT_LIMIT_MS, maxLineOctets })
      .catch((error: unknown): WireFailure => ({
        ok: false, reason: 'connect-refused', detail: error instanceof Error ? error.message : String(error),
      }));
    const opened = await bounded(opening, signal);
    if (opened === TIMED_OUT) {
      void opening.then((late) => (late.ok ? experiment.close(late.id) : undefined));
      return TIMED_OUT;
    }
    if (!opened.ok) return opened;
    const { id } = opened;
    const close = () => void experiment.close(id);
    signal.addEventListener('abort', close, { once: true });
    return {
      ok: true,
      tls: opened.tls === undefined ? null : factsOf(opened.tls),
      connection: {
        readLine: () => bounded(experiment.readLine(id), signal),
        // A failed write shows in the next read, which reports why.
        writeLine: async (line) => void (await bounded(experiment.writeLine(id, line), signal)),
        startTls: async () => {
          const upgraded = await bounded(experiment.startTls(id), signal);
          return upgraded.ok ? { ok: true, tls: factsOf(upgraded.tls) } : upgraded;
        },
        close: () => {
          signal.removeEventListener('abort', close);
          close();
        },
      },
    };
  };
}

/** Whether Thunderbird's OAuth2 registry knows a server's host (its account set-up then uses OAuth2). */
export function oauth2Registry(experiment: ProbeExperiment): (server: ServerRef) => Promise<boolean> {
  return (server) => experiment.knowsOAuth2(server.hostname, server.protocol);
}
