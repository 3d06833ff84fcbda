// thunderbird-parts.ts for Chromium's service worker, which refuses import() (docs/performance.md#bundle-sizes).
// Chromium has none of Thunderbird's Experiments, so nothing calls these; they fail if something ever did.
import type * as Parts from './thunderbird-parts.ts';

const absent = () => Promise.reject(new Error('Thunderbird\'s part is not in Chromium\'s service worker'));

export const loadAccountRequests: typeof Parts.loadAccountRequests = absent;
export const loadAnswerSetup: typeof Parts.loadAnswerSetup = absent;
export const loadProbeGlue: typeof Parts.loadProbeGlue = absent;
