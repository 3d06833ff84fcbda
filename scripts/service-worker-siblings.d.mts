// Types for scripts/service-worker-siblings.mjs, which the build (plain Node) and the tests both read.
export declare const SERVICE_WORKER_SIBLINGS: readonly string[];
export declare const siblingOf: (original: string) => string;
