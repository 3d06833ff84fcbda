// The modules only Thunderbird runs, each reached through a dynamic import that only Thunderbird's Experiments or
// Platform.connect lead to. Gecko's background loads them on first use; Chromium's service worker leaves them out
// (scripts/build.mjs; docs/performance.md#bundle-sizes).
export const THUNDERBIRD_ONLY = [
  'src/core/probe/probe-chosen.ts',
  'src/background/handle-account-requests.ts',
  'src/background/answer-setup.ts',
  'src/background/probe-connection.ts',
];
