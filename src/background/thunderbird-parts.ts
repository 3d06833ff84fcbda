// What only Thunderbird runs, each loaded on its first use: only Thunderbird's Experiments lead here, so Firefox never
// loads them (docs/performance.md#bundle-sizes). Chromium's service worker may not import(): its build puts
// thunderbird-parts.service-worker.ts in this file's place.

/** The popup's account requests (create, list, update, recheck, probe an alternative). */
export const loadAccountRequests = () => import('./handle-account-requests.ts');

/** The answer to Thunderbird's own account set-up (src/experiments/setup). */
export const loadAnswerSetup = () => import('./answer-setup.ts');

/** The probe Experiment's glue: Platform.connect and Thunderbird's OAuth2 registry. */
export const loadProbeGlue = () => import('./probe-connection.ts');
