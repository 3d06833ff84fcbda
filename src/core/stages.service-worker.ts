// stages.ts for Chromium's service worker, which refuses import() (docs/performance.md#bundle-sizes): the transport
// checks are in the one file, and the probe, which needs sockets Chromium does not give, is left out.
import type { loadProbe as LoadProbe, loadTransport as LoadTransport } from './stages.ts';
import * as transport from './transport/index.ts';

export const loadTransport: typeof LoadTransport = async () => transport;

export const loadProbe: typeof LoadProbe = () => Promise.reject(new Error('the server probe needs Thunderbird\'s sockets'));
