// Thunderbird's own account set-up (src/experiments/setup): the background answers its onDiscover with
// the add-on's discovery, while the options switch is on. Null outside Thunderbird.
import { discoverWithCache, parseAddress, readSettings, resolverList, setupOffer, type Platform, type SetupOffer } from '../core/index.ts';
import type { Browser } from '../browser-api.ts';
import { parseUrl } from '../parse-url.ts';

export interface SetupExperiment {
  readonly onDiscover: { addListener(listener: (address: string) => Promise<SetupOffer | null>): void };
  /** The options switch: true wraps Thunderbird's configuration search, false puts it back. */
  setActive(active: boolean): Promise<boolean>;
}

export function setupExperiment(browser: Browser): SetupExperiment | null {
  return (browser as unknown as { srvAutoconfigSetup?: SetupExperiment }).srvAutoconfigSetup ?? null;
}

export interface SetupDeps {
  readonly platform: Platform;
  readonly settings: () => Promise<unknown>;
}

/**
 * The offer for an address typed into Thunderbird's dialog: the cached or a fresh SRV lookup without
 * the transport checks but with the server probe, or null (switch off, bad address, nothing complete published).
 */
export function answerSetup(deps: SetupDeps): (address: string) => Promise<SetupOffer | null> {
  return async (address) => {
    const settings = readSettings(await deps.settings(), parseUrl);
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
