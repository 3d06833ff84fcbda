// The one build script: an esbuild entry map by context (docs/architecture.md). `--watch` rebuilds on change.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { THUNDERBIRD_ONLY } from './thunderbird-only.mjs';

const watch = process.argv.includes('--watch');
// Thunderbird/Firefox ESR 128 and a current Chromium: what the manifest's strict_min_version allows.
const browserTarget = ['firefox128', 'chrome120'];

/** @type {esbuild.BuildOptions[]} */
const contexts = [
  {
    // An ES module (manifest background.type): what only Thunderbird runs (the probe, accounts, its own set-up) is in
    // chunks it imports on first use. Chromium's service worker never reaches those imports (docs/performance.md#bundle-sizes).
    entryPoints: { background: 'src/background/index.ts' },
    platform: 'browser',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: browserTarget,
    minify: true,
    // dns-packet needs a Buffer: ours (src/core/dns/byte-buffer.ts) instead of the 24.7 KB polyfill.
    alias: { buffer: './src/core/dns/byte-buffer.ts' },
  },
  {
    // Chromium's service worker may not call import() at all: one file, the transport checks in it, and in place of
    // each module only Thunderbird reaches (scripts/thunderbird-only.mjs) one that throws if it were ever loaded.
    entryPoints: { 'service-worker': 'src/background/index.ts' },
    platform: 'browser',
    format: 'esm',
    target: browserTarget,
    minify: true,
    alias: { buffer: './src/core/dns/byte-buffer.ts' },
    plugins: [withoutThunderbird()],
  },
  {
    entryPoints: { options: 'popup/options.ts' },
    platform: 'browser',
    format: 'iife',
    target: browserTarget,
    minify: true,
  },
  {
    // The popup is a module page: what only Thunderbird shows (the account list) is a chunk it loads after the
    // first paint, so the popup's own script stays small everywhere (docs/performance.md#bundle-sizes).
    entryPoints: { popup: 'popup/popup.ts' },
    platform: 'browser',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: browserTarget,
    minify: true,
  },
  {
    entryPoints: { cli: 'src/cli/index.ts' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // dns-packet is CommonJS and calls require('buffer'): give the ESM bundle a require.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  },
];

/** Replaces the modules of scripts/thunderbird-only.mjs: Chromium has neither Thunderbird's Experiments nor sockets. */
function withoutThunderbird() {
  const only = new Set(THUNDERBIRD_ONLY.map((file) => resolve(file)));
  return {
    name: 'without-thunderbird',
    setup(build) {
      build.onResolve({ filter: /\.ts$/ }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        return only.has(path) ? { path, namespace: 'thunderbird-only' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'thunderbird-only' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${relative('.', args.path)} runs only in Thunderbird`)});`,
        loader: 'js',
      }));
    },
  };
}

// Chunk names carry a content hash: last build's would be packaged beside this one's.
rmSync('dist/chunks', { recursive: true, force: true });

// The Thunderbird Experiment is plain JavaScript run by Thunderbird itself: copied, not bundled.
mkdirSync('dist/experiments', { recursive: true });
for (const experiment of ['accounts', 'probe', 'setup', 'shared']) {
  cpSync(`src/experiments/${experiment}`, `dist/experiments/${experiment}`, { recursive: true, filter: (f) => !f.endsWith('.ts') });
}

// dist/meta.json: which source put how many bytes in each bundle (bench/bundle-sizes.ts says where a budget goes).
const outputs = {};
for (const options of contexts) {
  const config = {
    bundle: true,
    outdir: 'dist',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: !watch,
    ...options,
  };
  if (watch) await (await esbuild.context(config)).watch();
  else Object.assign(outputs, (await esbuild.build(config)).metafile.outputs);
}
if (!watch) writeFileSync('dist/meta.json', JSON.stringify({ outputs }));
