// Bundles bench/bench.ts with esbuild (the core is TypeScript) and runs it.
import { mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

mkdirSync('dist', { recursive: true });
await esbuild.build({
  entryPoints: [process.argv[2] ?? 'bench/bench.ts'], // bench/probe.ts: the server probe's added time
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/bench.mjs',
  packages: 'external',
  logLevel: 'warning',
});
await import(new URL('../dist/bench.mjs', import.meta.url).href);
