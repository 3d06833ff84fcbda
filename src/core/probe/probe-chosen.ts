// The pipeline's probe stage (docs/architecture.md): both chosen servers at once, each with its own time limit, judged
// with their TLSA (RFC 6186 §6 via RFC 6125 §6, RFC 7673 §3). Loaded only where the platform can open sockets.
import type { ChosenSetting, Choice } from '../discovery/choose-settings.ts';
import type { Platform } from '../platform.ts';
import type { DaneResult } from '../transport/dane.ts';
import type { Connect } from './connection.ts';
import { judgeProbe, type ServerProbe } from './judge-probe.ts';
import { probeServer, type RawProbe } from './probe-server.ts';

type Server = Pick<ChosenSetting, 'hostname' | 'port' | 'service'>;

/** One probed server's verdict in the context of the address's domain. */
export function judgeServer(
  server: Server,
  domain: string,
  raw: RawProbe,
  tlsa: DaneResult | null,
  platform: Platform,
): Promise<ServerProbe> {
  const ctx = { hostname: server.hostname, domain, service: server.service, now: platform.now() };
  return judgeProbe(raw, tlsa, platform.digest === undefined ? ctx : { ...ctx, digest: platform.digest });
}

export interface ChosenProbes {
  /** Waits for the chosen servers' TLSA (asked beside the probes), then judges both. */
  judge(dane: readonly DaneResult[]): Promise<{ incoming: ServerProbe | null; outgoing: ServerProbe | null }>;
}

/** Starts both chosen servers' probes; their verdicts wait for the TLSA answers. */
export async function probeChosen(choice: Choice, connect: Connect, limitMs: number, platform: Platform): Promise<ChosenProbes> {
  const one = (s: ChosenSetting | null): Promise<RawProbe | null> =>
    s === null ? Promise.resolve(null) : probeServer(s, connect, limitMs, platform.timeout);
  const [incoming, outgoing] = await Promise.all([one(choice.incoming), one(choice.outgoing)]);
  const judge = (s: ChosenSetting | null, raw: RawProbe | null, dane: readonly DaneResult[]): Promise<ServerProbe | null> => {
    if (s === null || raw === null) return Promise.resolve(null);
    const tlsa = dane.find((d) => d.source !== 'mx' && d.host === s.hostname && d.port === s.port) ?? null;
    return judgeServer(s, choice.domain, raw, tlsa, platform);
  };
  return {
    judge: async (dane) => {
      const [i, o] = await Promise.all([judge(choice.incoming, incoming, dane), judge(choice.outgoing, outgoing, dane)]);
      return { incoming: i, outgoing: o };
    },
  };
}
