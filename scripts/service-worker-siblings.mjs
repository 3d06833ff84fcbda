// The modules Chromium's service worker replaces with their `.service-worker.ts` sibling (docs/performance.md#bundle-sizes):
// the two stage loaders, which hold every import() of src/, and the Thunderbird glue. The build swaps them; the bundle
// test checks the swap.
export const SERVICE_WORKER_SIBLINGS = ['src/core/stages.ts', 'src/background/thunderbird-parts.ts', 'src/background/thunderbird-glue.ts'];

/** `src/x.ts` → `src/x.service-worker.ts`. */
export const siblingOf = (original) => original.replace(/\.ts$/, '.service-worker.ts');
