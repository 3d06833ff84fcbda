// The unit project runs without the resolver harness: only end-to-end tests may ask for it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

test('only test/e2e uses what the global set-up provides (inject), so `--project unit` needs no resolver', () => {
  const outside = files('test').filter(
    (f) => f.endsWith('.ts') && !f.startsWith(join('test', 'e2e')) && !f.startsWith(join('test', 'support')),
  );
  expect(outside.filter((f) => /\binject\(/.test(readFileSync(f, 'utf8')))).toEqual([]);
});

test('every test file ends in .test.ts, the one extension both projects include', () => {
  expect(files('test').filter((f) => /\.(test|spec)\.(js|mjs|mts|cts|tsx)$/.test(f))).toEqual([]);
});
