// The pipeline's later stages, each loaded when a lookup first needs it, so a background woken for anything else does
// not load them (docs/performance.md#bundle-sizes). Chromium's service worker may not import(): its build puts
// stages.service-worker.ts in this file's place.

/** What reads the MTA-STS, TLS-RPT and DANE answers: its first questions leave with the SRV queries (askFirst). */
export const loadTransport = () => import('./transport/index.ts');

/** The server probe: only a platform with sockets (Platform.connect) reaches it. */
export const loadProbe = () => import('./probe/probe-chosen.ts');
