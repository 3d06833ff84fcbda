// Public API of the server probe beyond the pipeline's own stage (src/core/autoconfigure.ts loads that itself):
// the alternatives' probe on request. Its own entry point, loaded only where sockets exist.
export { probeAlternatives } from './probe-alternatives.ts';
