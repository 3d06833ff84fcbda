// The one place that finds the extension API: the native promise-based `browser` (Thunderbird,
// Firefox, Chromium ≥ 146) or MV3's promise-returning `chrome`. webextension-polyfill was dropped:
// a no-op on Gecko, unmaintained, and 9.5 KB over DESIGN §6's 26 KB gzip budget for the background.
import type { Browser } from 'webextension-polyfill';

const scope = globalThis as { browser?: Browser; chrome?: Browser };
export const browser = (scope.browser ?? scope.chrome) as Browser;
export type { Browser };
