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

const BACKGROUND = { min: 90_000, gz: 26_000 };

/** Each page's file in dist/, and its budget (docs/performance.md#bundle-sizes): Gecko and Chromium share one. */
const PAGES: readonly { name: string; file: string; limit: BundleSize['limit'] }[] = [
  { name: 'background (Thunderbird, Firefox)', file: 'background', limit: BACKGROUND },
  { name: 'background (Chromium service worker)', file: 'service-worker', limit: BACKGROUND },
  { name: 'popup', file: 'popup', limit: { min: 25_000, gz: Infinity } },
  { name: 'options', file: 'options', limit: null },
];

export type Output = { inputs: Record<string, { bytesInOutput: number }>; imports?: { path: string; kind: string }[] };
export type Meta = { outputs: Record<string, Output> };

/**
 * Each page's first load: its file and the chunks it imports statically (a dynamic import loads later and is a
 * row of its own), minified and gzipped.
 */
export function bundleSizes(): BundleSize[] {
  const meta = JSON.parse(readFileSync(join('dist', 'meta.json'), 'utf8')) as Meta;
  const size = (name: string, files: string[], limit: BundleSize['limit']): BundleSize => {
    const code = files.map((f) => readFileSync(f));
    const inputs = files.flatMap((f) => Object.entries(meta.outputs[f]?.inputs ?? {}));
    return {
      name, limit, parts: parts(inputs),
      min: code.reduce((n, c) => n + c.length, 0), gz: code.reduce((n, c) => n + gzipSync(c, { level: 9 }).length, 0),
    };
  };
  const pages = PAGES.map((page) => ({ ...page, files: [...firstLoad(meta, `dist/${page.file}.js`)] }));
  const later = pages.flatMap(({ name, files }) => {
    const targets = [...new Set(files.flatMap((f) => imported(meta, f, 'dynamic-import')))];
    // What a dynamic import adds: its chunk and the chunks it imports that the page has not loaded yet.
    return targets.map((f) =>
      size(
        `${name}, loaded later (${sourceName(f)})`,
        [...firstLoad(meta, f)].filter((c) => !files.includes(c)),
        null,
      ),
    );
  });
  return [...pages.map(({ name, files, limit }) => size(name, files, limit)), ...later];
}

const imported = (meta: Meta, file: string, kind: string): string[] =>
  (meta.outputs[file]?.imports ?? []).filter((i) => i.kind === kind).map((i) => i.path);

/** A file and every chunk it imports statically, transitively: what the browser loads before the file runs. */
export function firstLoad(meta: Meta, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const chunk of imported(meta, file, 'import-statement')) firstLoad(meta, chunk, seen);
  return seen;
}

const sourceName = (file: string): string => file.replace(/^dist\/chunks\//, '').replace(/-[A-Z0-9]+\.js$/, '');

/** `node_modules/dns-packet/index.js` → `dns-packet`; `src/core/probe/der.ts` → `src/core/probe`. */
export function sourceOf(input: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return inPackage !== null ? inPackage[1]! : input.split('/').slice(0, input.startsWith('src/core/') ? 3 : 2).join('/');
}

function parts(inputs: [string, { bytesInOutput: number }][]): { source: string; bytes: number }[] {
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of inputs) {
    bytes.set(sourceOf(input), (bytes.get(sourceOf(input)) ?? 0) + bytesInOutput);
  }
  return [...bytes].map(([source, n]) => ({ source, bytes: n })).sort((a, b) => b.bytes - a.bytes);
}
