// Thunderbird's own account set-up (src/experiments/setup): the background answers its onDiscover with
// the add-on's discovery, while the options switch is on. Null outside Thunderbird.
import type { SetupOffer } from '../core/index.ts';
import type { Browser } from '../browser-api.ts';

export interface SetupExperiment {
  readonly onDiscover: { addListener(listener: (address: string) => Promise<SetupOffer | null>): void };
  /** The options switch: true wraps Thunderbird's configuration search, false puts it back. */
  setActive(active: boolean): Promise<boolean>;
}

export function setupExperiment(browser: Browser): SetupExperiment | null {
  return browser.srvAutoconfigSetup ?? null;
}
