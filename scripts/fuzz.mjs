// npm run fuzz [-- RUNS [SEED]]: the fuzz tests at length with a fresh seed (CI runs 100 000 with a
// fixed one). A failure prints the seed, so `npm run fuzz -- RUNS SEED` replays it.
import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? '1000000';
const seed = process.argv[3] ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`fuzz: ${runs} runs, seed ${seed}`);
const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/fuzz'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed, PROPERTY_RUNS: String(Math.ceil(Number(runs) / 50)), DIFFERENTIAL_RUNS: '2000' },
});
if (result.status !== 0) console.log(`fuzz failed: replay with npm run fuzz -- ${runs} ${seed}`);
process.exit(result.status ?? 1);
