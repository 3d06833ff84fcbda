// The built bundles' sizes, minified and gzipped (level 9), against docs/performance.md's budgets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  readonly name: string;
  readonly min: number;
  readonly gz: number;
  readonly limit: { min: number; gz: number } | null;
}

const LIMITS: Record<string, { min: number; gz: number }> = {
  background: { min: 90_000, gz: 26_000 },
  popup: { min: 25_000, gz: Infinity },
};

export function bundleSizes(): BundleSize[] {
  return ['background', 'popup', 'options'].map((name) => {
    const code = readFileSync(join('dist', `${name}.js`));
    return { name, min: code.length, gz: gzipSync(code, { level: 9 }).length, limit: LIMITS[name] ?? null };
  });
}
