// On request, the server probe of the alternatives too (RFC 6186 §6 via RFC 6125 §6, RFC 7673 §3 for their TLSA):
// all at once, each with its own time limit. The badge stays that of the chosen servers.
import type { ServerRef } from '../accounts/match-shown.ts';
import type { DohOptions } from '../dns/doh-client.ts';
import type { Platform } from '../platform.ts';
import { checkServerDane } from '../transport/index.ts';
import { verifiedBy } from '../trust/verified-by.ts';
import type { Discovery, Setting } from '../verdict/verdict.ts';
import { judgeServer } from './probe-chosen.ts';
import { probeServer } from './probe-server.ts';

export interface AlternativeProbeOptions extends DohOptions {
  /** The time limit of one server's probe; defaults to `timeoutMs`. */
  readonly probeTimeoutMs?: number;
  /** Only this alternative (the popup's "Check this server"); all of them when absent. */
  readonly only?: ServerRef;
}

/** `discovery` with its alternatives probed; unchanged where the platform has no sockets. */
export async function probeAlternatives(discovery: Discovery, options: AlternativeProbeOptions, platform: Platform): Promise<Discovery> {
  const { connect } = platform;
  if (connect === undefined) return discovery;
  const { only } = options;
  const wanted = (s: Setting): boolean => only === undefined
    || (s.protocol === only.protocol && s.hostname === only.hostname && s.port === only.port && s.security === only.security);
  const limit = options.probeTimeoutMs ?? options.timeoutMs;
  const probed = await Promise.all(discovery.alternatives.map(async (s): Promise<Setting> => {
    if (!wanted(s)) return s;
    const source = s.protocol === 'smtp' ? 'outgoing' : 'incoming';
    const [raw, [tlsa = null] = []] = await Promise.all([
      probeServer(s, connect, limit, platform.timeout),
      checkServerDane(discovery.domain, [{ host: s.hostname, port: s.port, dnssec: s.dnssec, source }], options, platform),
    ]);
    const probe = await judgeServer(s, discovery.domain, raw, tlsa, platform);
    return { ...s, probe, verifiedBy: verifiedBy({ ...s, probe }) };
  }));
  return { ...discovery, alternatives: probed };
}
