// The one rule every path that applies settings obeys (RFC 6186 §6, docs/trust.md): only servers the
// user saw, still published now, and vouched for — or confirmed by the user for exactly what was shown.
import type { Discovery, Setting } from '../verdict/verdict.ts';
import type { Protocol, Security } from '../discovery/service-labels.ts';
import type { AccountReason } from '../reasons.ts';
import { isVerified, probeFailed } from '../trust/verified-by.ts';

/** A server as the user saw it: what a confirmation covers. */
export interface ServerRef {
  readonly protocol: Protocol;
  readonly hostname: string;
  readonly port: number;
  readonly security: Security;
}

/**
 * A server as the popup showed it for creating an account: with the probe failure shown beside it, if
 * any, because the trust tick covers only what the user saw (docs/trust.md).
 */
export interface ShownServer extends ServerRef {
  readonly probeFailure?: string | null;
}

export type ShownResult =
  | { readonly ok: true; readonly setting: Setting }
  | { readonly ok: false; readonly reason: Extract<AccountReason, 'account-settings-changed' | ShownRefusal> };

type ShownRefusal = 'account-unverified' | 'account-probe-failed';

export function serverRef(s: ServerRef): ServerRef {
  return { protocol: s.protocol, hostname: s.hostname, port: s.port, security: s.security };
}

export function shownServer(s: Setting): ShownServer {
  return { ...serverRef(s), probeFailure: failureOf(s) };
}

const failureOf = (s: Setting): string | null => (probeFailed(s) ? String(s.probe?.reason) : null);

export function sameServer(a: ServerRef, b: ServerRef): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && a.port === b.port && a.security === b.security;
}

/** Every server the domain publishes now, in the order they would be tried. */
export function publishedSettings(discovery: Discovery): Setting[] {
  return [discovery.incoming, discovery.outgoing, ...discovery.alternatives].filter((s): s is Setting => s !== null);
}

/**
 * The published setting that is exactly `shown`, when something vouches for it or `trusted` (the
 * user's confirmation of what was shown). A server no longer published is refused: the user must
 * look again rather than have a later answer applied unseen.
 */
export function matchShown(discovery: Discovery, shown: ShownServer, trusted: boolean): ShownResult {
  const setting = discovery.status === 'found' ? publishedSettings(discovery).find((s) => sameServer(s, shown)) : undefined;
  if (setting === undefined) return { ok: false, reason: 'account-settings-changed' };
  if (isVerified(setting)) return { ok: true, setting };
  // A failed probe (docs/trust.md) takes the same trust tick as an unverified server, with its own reason;
  // the tick covers the failure the user saw beside the server, not one found only now.
  const failure = failureOf(setting);
  if (!trusted || (failure !== null && failure !== (shown.probeFailure ?? null))) {
    return { ok: false, reason: failure !== null ? 'account-probe-failed' : 'account-unverified' };
  }
  return { ok: true, setting };
}
