// Types for scripts/thunderbird-only.mjs, which the build (plain Node) and the tests both read.
export declare const THUNDERBIRD_ONLY: readonly string[];
