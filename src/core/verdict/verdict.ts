// The verdict: what vouches for each chosen server and the one badge, computed once from the choice, the
// transport checks and the server probes (docs/badge.md, docs/trust.md).
import type { Choice, ChosenSetting } from '../discovery/choose-settings.ts';
import type { ServerProbe } from '../probe/judge-probe.ts';
import type { Transport } from '../transport/index.ts';
import { probeUnreached, verifiedBy, type Voucher } from '../trust/verified-by.ts';
import { badgeFor, transportReasons, type Badge } from './badge.ts';

export interface Setting extends ChosenSetting {
  /** What vouches for the server (RFC 6186 §6); empty = unverified. The user's confirmation is never listed here. */
  readonly verifiedBy: readonly Voucher[];
  /** The server probe's result; null when not probed (not asked, or no sockets on this platform). */
  readonly probe: ServerProbe | null;
}

export interface Discovery extends Choice<Setting> {
  readonly badge: Badge;
  /** MTA-STS, TLS-RPT and DANE for the domain's mail (docs/badge.md); null when not asked for. */
  readonly transport: Transport | null;
  readonly timing: { readonly elapsedMs: number; readonly queries: number };
  readonly fromCache: boolean;
}

/** The probes of the chosen servers; `unavailable`: asked for, but this platform has no sockets (Chromium). */
export type Probes = { readonly incoming: ServerProbe | null; readonly outgoing: ServerProbe | null } | 'unavailable' | null;

export function verdict(
  choice: Choice,
  transport: Transport | null,
  probes: Probes,
  timing: Discovery['timing'],
  /** Chosen targets that are aliases (RFC 2782 forbids it): used, but reported. */
  aliases: readonly string[] = [],
): Discovery {
  const probed = probes === null || probes === 'unavailable' ? { incoming: null, outgoing: null } : probes;
  const vouched = (s: ChosenSetting, probe: ServerProbe | null): Setting => ({ ...s, verifiedBy: verifiedBy({ ...s, probe }), probe });
  const incoming = choice.incoming === null ? null : vouched(choice.incoming, probed.incoming);
  const outgoing = choice.outgoing === null ? null : vouched(choice.outgoing, probed.outgoing);
  const level = badgeFor(incoming, outgoing, choice.error !== null);
  // The badge never claims more than was proven: where no socket could be opened, or the server could
  // not be reached, it says so.
  const unreached = [incoming, outgoing].some((s) => s !== null && probeUnreached(s));
  const notProbed = (probes === 'unavailable' || unreached) && level.level !== 'none' ? (['not-probed'] as const) : [];
  const sides = [['incoming', incoming], ['outgoing', outgoing]] as const;
  const aliased = sides.flatMap(([side, s]) => (s !== null && aliases.includes(s.hostname) ? [`${side}-target-alias` as const] : []));
  const transportFound = transport === null ? [] : transportReasons(transport);
  const badge: Badge = { ...level, reasons: [...level.reasons, ...notProbed, ...aliased, ...transportFound] };
  return {
    ...choice,
    incoming,
    outgoing,
    alternatives: choice.alternatives.map((s) => vouched(s, null)),
    badge,
    transport,
    timing,
    fromCache: false,
  };
}
