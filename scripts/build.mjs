// The one build script: an esbuild entry map by context (docs/architecture.md). `--watch` rebuilds on change.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { transform } from '@swc/core';
import * as esbuild from 'esbuild';

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

/** Resolves `x.ts` to `x.service-worker.ts` where that sibling exists: the service worker's own version of it. */
function serviceWorkerSiblings() {
  return {
    name: 'service-worker-siblings',
    setup(build) {
      build.onResolve({ filter: /\.ts$/ }, (args) => {
        const sibling = resolve(args.resolveDir, args.path).replace(/\.ts$/, '.service-worker.ts');
        return args.importer.endsWith('.service-worker.ts') || !existsSync(sibling) ? undefined : { path: sibling };
      });
    },
  };
}

/**
 * swc's minifier over esbuild's output: about 4 % smaller gzipped, what keeps Chromium's one-file service worker within
 * the background's budget (docs/performance.md#bundle-sizes). The source map is chained back to the sources.
 */
async function minifyAgain(file, isModule) {
  const code = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const { code: minified, map } = await transform(code, {
    filename: basename(file),
    sourceMaps: true,
    inputSourceMap: readFileSync(`${file}.map`, 'utf8'),
    isModule,
    minify: true,
    jsc: { target: 'es2022', minify: { compress: { passes: 3 }, mangle: true, module: isModule, toplevel: isModule } },
  });
  writeFileSync(file, `${minified}\n//# sourceMappingURL=${basename(file)}.map\n`);
  writeFileSync(`${file}.map`, map);
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
  if (watch) {
    await (await esbuild.context(config)).watch();
    continue;
  }
  const built = (await esbuild.build(config)).metafile.outputs;
  Object.assign(outputs, built);
  if (options.platform === 'browser') {
    for (const file of Object.keys(built).filter((f) => f.endsWith('.js'))) await minifyAgain(file, options.format === 'esm');
  }
}
if (!watch) writeFileSync('dist/meta.json', JSON.stringify({ outputs }));
