// bench/bundle-sizes.ts and bench/report.ts: where a bundle's bytes come from, and its size read against its budget.
import { describe, expect, test } from 'vitest';
import { sourceOf } from '../../bench/bundle-sizes.ts';
import { kbAgainst } from '../../bench/report.ts';

describe('sourceOf', () => {
  test.each([
    ['node_modules/dns-packet/index.js', 'dns-packet'],
    ['node_modules/@leichtgewicht/ip-codec/index.cjs', '@leichtgewicht/ip-codec'],
    ['src/core/probe/der.ts', 'src/core/probe'],
    ['src/core/settings-cache.ts', 'src/core/settings-cache.ts'],
    ['src/background/handle-message.ts', 'src/background'],
    ['popup/render-probe.ts', 'popup/render-probe.ts'],
  ])('%s counts for %s', (input, source) => expect(sourceOf(input)).toBe(source));
});

describe('kbAgainst: a size beside its budget', () => {
  test.each([
    [25_956, 26_000, '25.96 KB'],
    [26_040, 26_000, '26.04 KB'],
    [26_000, 26_000, '26.0 KB'],
    [24_831, 26_000, '24.8 KB'],
    [82_172, 90_000, '82.2 KB'],
    [25_956, Infinity, '26.0 KB'],
  ])('%i bytes against %i read %s', (bytes, limit, shown) => expect(kbAgainst(bytes, limit)).toBe(shown));
});
