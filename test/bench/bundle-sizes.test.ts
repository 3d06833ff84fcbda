// bench/bundle-sizes.ts: a missed bundle budget is reported with the sources its bytes come from.
import { describe, expect, test } from 'vitest';
import { sourceOf } from '../../bench/bundle-sizes.ts';

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
