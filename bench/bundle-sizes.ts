// The built bundles' sizes, minified and gzipped (level 9), against docs/performance.md's budgets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  readonly name: string;
  readonly min: number;
  readonly gz: number;
  readonly limit: { min: number; gz: number } | null;
  /** Where the minified bytes come from, largest first: a package, or a folder of src/ (from dist/meta.json). */
  readonly parts: readonly { readonly source: string; readonly bytes: number }[];
}

const LIMITS: Record<string, { min: number; gz: number }> = {
  background: { min: 90_000, gz: 26_000 },
  popup: { min: 25_000, gz: Infinity },
};

type Meta = { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };

export function bundleSizes(): BundleSize[] {
  const meta = JSON.parse(readFileSync(join('dist', 'meta.json'), 'utf8')) as Meta;
  return ['background', 'popup', 'options'].map((name) => {
    const code = readFileSync(join('dist', `${name}.js`));
    const inputs = meta.outputs[`dist/${name}.js`]?.inputs ?? {};
    return { name, min: code.length, gz: gzipSync(code, { level: 9 }).length, limit: LIMITS[name] ?? null, parts: parts(inputs) };
  });
}

/** `node_modules/dns-packet/index.js` → `dns-packet`; `src/core/probe/der.ts` → `src/core/probe`. */
export function sourceOf(input: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return inPackage !== null ? inPackage[1]! : input.split('/').slice(0, input.startsWith('src/core/') ? 3 : 2).join('/');
}

function parts(inputs: Record<string, { bytesInOutput: number }>): { source: string; bytes: number }[] {
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    bytes.set(sourceOf(input), (bytes.get(sourceOf(input)) ?? 0) + bytesInOutput);
  }
  return [...bytes].map(([source, n]) => ({ source, bytes: n })).sort((a, b) => b.bytes - a.bytes);
}
