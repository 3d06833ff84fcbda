// Timing primitives for npm run bench: one run timed with a deadline, runs repeated, percentiles.
export const RUNS = Number(process.env.BENCH_RUNS ?? 20);
export const RTTS = [20, 50, 100];

export interface Stats { median: number; p10: number; p90: number }

export function stats(values: readonly number[]): Stats {
  // A figure that could not be read (NaN) leaves the percentiles; all NaN gives NaN.
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))] ?? NaN;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

const RUN_DEADLINE_MS = 15000;

/** Times one run; a run that never finishes stops the benchmark with its name instead of hanging it. */
export async function time(fn: () => Promise<unknown>, what = 'a run'): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${RUN_DEADLINE_MS} ms`)), RUN_DEADLINE_MS);
  });
  try {
    await Promise.race([fn(), deadline]);
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - started;
}

export async function repeat<T = number>(runs: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  process.stdout.write('.');
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
