// The one build script: an esbuild entry map by context (docs/architecture.md). `--watch` rebuilds on change.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { transform } from '@swc/core';
import * as esbuild from 'esbuild';
import { SERVICE_WORKER_SIBLINGS, siblingOf } from './service-worker-siblings.mjs';

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
    // Chromium's service worker may not call import() at all: one file. Each module with a .service-worker.ts sibling
    // gives way to it: the stage loaders (src/core/stages.ts, src/background/thunderbird-parts.ts) import the transport
    // checks statically and leave Thunderbird's part out, and src/background/thunderbird-glue.ts is empty.
    entryPoints: { 'service-worker': 'src/background/index.ts' },
    platform: 'browser',
    format: 'esm',
    target: browserTarget,
    minify: true,
    alias: { buffer: './src/core/dns/byte-buffer.ts' },
    plugins: [serviceWorkerSiblings()],
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

/** Chromium's service worker's own versions of three modules, by absolute path; nothing else is swapped. */
const siblings = new Map(SERVICE_WORKER_SIBLINGS.map((original) => [resolve(original), resolve(siblingOf(original))]));
// A sibling the list does not name would be silently ignored: refuse to build instead.
const unlisted = readdirSync('src', { recursive: true })
  .filter((f) => String(f).endsWith('.service-worker.ts'))
  .map((f) => resolve('src', String(f)))
  .filter((f) => ![...siblings.values()].includes(f));
if (unlisted.length > 0) throw new Error(`not in scripts/service-worker-siblings.mjs: ${unlisted.join(', ')}`);

/** Where an import resolves to a module of scripts/service-worker-siblings.mjs, the service worker gets its sibling. */
function serviceWorkerSiblings() {
  return {
    name: 'service-worker-siblings',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.resolving === true || args.kind === 'entry-point') return undefined;
        // esbuild's own resolution first, so every form of the path (with or without .ts, aliased) is seen.
        const { path, errors } = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { resolving: true },
        });
        const sibling = errors.length === 0 ? siblings.get(path) : undefined;
        return sibling === undefined || sibling === args.importer ? undefined : { path: sibling };
      });
    },
  };
}

/**
 * swc's minifier over esbuild's output, on every build and rebuild: about 4 % smaller gzipped, what keeps Chromium's
 * one-file service worker within the background's budget (docs/performance.md#bundle-sizes). The source map is chained
 * back to the sources.
 */
function minifyAgain(isModule) {
  return {
    name: 'minify-again',
    setup(build) {
      build.onEnd(async (result) => {
        for (const file of Object.keys(result.metafile?.outputs ?? {}).filter((f) => f.endsWith('.js'))) {
          const built = readFileSync(file, 'utf8');
          const code = built.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
          if (code === built) throw new Error(`${file}: no sourceMappingURL comment to chain the source map from`);
          const { code: minified, map } = await transform(code, {
            filename: basename(file),
            sourceMaps: true,
            inputSourceMap: readFileSync(`${file}.map`, 'utf8'),
            isModule,
            minify: true,
            // esbuild has already lowered the syntax to browserTarget; swc emits nothing newer than ES2022.
            jsc: { target: 'es2022', minify: { compress: { passes: 3 }, mangle: true, module: isModule, toplevel: isModule } },
          });
          writeFileSync(file, `${minified}\n//# sourceMappingURL=${basename(file)}.map\n`);
          writeFileSync(`${file}.map`, map);
        }
      });
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

// dist/meta.json: which sources and chunks each bundle holds (bench/bundle-sizes.ts, test/project/bundle-composition.test.ts).
const outputs = {};
for (const options of contexts) {
  const browser = options.platform === 'browser';
  const config = {
    bundle: true,
    outdir: 'dist',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    ...options,
    plugins: [...(options.plugins ?? []), ...(browser ? [minifyAgain(options.format === 'esm')] : [])],
  };
  if (watch) await (await esbuild.context(config)).watch();
  else Object.assign(outputs, (await esbuild.build(config)).metafile.outputs);
}
if (!watch) writeFileSync('dist/meta.json', JSON.stringify({ outputs }));
