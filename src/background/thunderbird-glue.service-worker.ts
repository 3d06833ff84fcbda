// thunderbird-glue.ts for Chromium's service worker (docs/performance.md#bundle-sizes): Chromium has none of
// Thunderbird's Experiments, mail accounts or events, so the glue is empty and its code stays out of the file.
import type { thunderbirdGlue as ThunderbirdGlue } from './thunderbird-glue.ts';

export const thunderbirdGlue: typeof ThunderbirdGlue = () => ({
  accounts: null,
  defaultAddress: async () => null,
  listen: () => undefined,
});
