// Runs the built CLI (dist/cli.js) as a user would, with its exit code, output and wall time.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const CLI = 'dist/cli.js';

export interface Run { code: number | null; stdout: string; stderr: string; ms: number }

export function cli(...args: string[]): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}
