// The background's answer to Thunderbird's own account set-up (src/background/setup-experiment.ts): loaded on its first
// question, so the background's first load carries none of it (docs/performance.md#bundle-sizes).
import { setupOffer } from '../core/accounts/index.ts';
import { discoverWithCache, parseAddress, resolverList, type Platform, type ResolverSettings, type SetupOffer } from '../core/index.ts';

export interface SetupDeps {
  readonly platform: Platform;
  /** The options page's settings, as stored and checked. */
  readonly settings: () => Promise<ResolverSettings>;
}

/**
 * The offer for an address typed into Thunderbird's dialog: the cached or a fresh SRV lookup without
 * the transport checks but with the server probe, or null (switch off, bad address, nothing complete published).
 */
export function answerSetup(deps: SetupDeps): (address: string) => Promise<SetupOffer | null> {
  return async (address) => {
    const settings = await deps.settings();
    if (!settings.useInAccountSetup) return null;
    const parsed = parseAddress(address, deps.platform);
    if (!parsed.ok) return null;
    // The probe vouches for servers (RFC 6125 §6.2.1) and reads the mechanisms a password needs (oauth2OnlyHosts).
    const options = {
      resolvers: resolverList(settings), method: 'GET' as const, timeoutMs: settings.timeoutMs, transport: false, probe: true,
    };
    return setupOffer(await discoverWithCache(parsed.value, options, deps.platform));
  };
}
