// Bundles bench/bench.ts (the core is TypeScript) and the page-side clients, then runs the bench.
import { mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

mkdirSync('dist', { recursive: true });
await esbuild.build({
  entryPoints: [process.argv[2] ?? 'bench/bench.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/bench.mjs',
  packages: 'external',
  logLevel: 'warning',
});
// Evaluated in an add-on page in Chromium; dns-packet's Buffer is the add-on's own stand-in, as in its bundles.
await esbuild.build({
  entryPoints: ['bench/browser-clients.ts'],
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  outfile: 'dist/bench-clients.js',
  alias: { buffer: './src/core/dns/byte-buffer.ts' },
  logLevel: 'warning',
});
await import(new URL('../dist/bench.mjs', import.meta.url).href);
