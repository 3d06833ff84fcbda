// docs/performance.md#bundle-sizes: each page's first load within its budget, checked on every build, not only by the
// bench (which reports the same figures from bench/bundle-sizes.ts).
import { expect, test } from 'vitest';
import { bundleSizes } from '../../bench/bundle-sizes.ts';

const budgeted = bundleSizes().filter((b) => b.limit !== null);

test('the background (Gecko and Chromium) and the popup have budgets', () => {
  expect(budgeted.map((b) => b.name)).toEqual([
    'background (Thunderbird, Firefox)',
    'background (Chromium service worker)',
    'popup',
  ]);
});

test.each(budgeted)('$name: first load within its budget, minified and gzipped', ({ min, gz, limit }) => {
  expect(min).toBeLessThanOrEqual(limit!.min);
  expect(gz).toBeLessThanOrEqual(limit!.gz);
});
