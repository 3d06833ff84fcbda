// The README's first screen holds the test-suite command CI runs (.ci/run): the same Debian packages in both.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

/** The package names an `apt-get install` command names (options dropped), in order. */
export function aptPackages(command: string): string[] {
  const install = /apt-get install ((?:[^&\n\\]|\\\n)+)/.exec(command)?.[1] ?? '';
  return install.split(/\s+|\\/).filter((word) => word !== '' && !word.startsWith('-'));
}

describe('README and .ci/run', () => {
  const readmeLine = readFileSync('README.md', 'utf8').split('\n').find((l) => l.includes('apt-get install') && l.endsWith('npm test'));
  const ci = readFileSync('.ci/run', 'utf8');

  test('aptPackages reads a one-line and a continued command', () => {
    expect(aptPackages('apt-get update && apt-get install -y a b-c && npm ci')).toEqual(['a', 'b-c']);
    expect(aptPackages('apt-get install -y -q --no-install-recommends \\\n  a b \\\n  c\n\nnpm ci')).toEqual(['a', 'b', 'c']);
  });

  test('the README\'s test-suite command installs exactly what CI installs, postfix preset as CI does', () => {
    expect(readmeLine).toBeDefined();
    expect(new Set(aptPackages(readmeLine!))).toEqual(new Set(aptPackages(ci)));
    expect(aptPackages(ci).length).toBeGreaterThan(10);
    if (aptPackages(ci).includes('postfix')) expect(readmeLine).toContain('postfix/main_mailer_type select No configuration');
  });

  test('CI runs the README\'s test command', () => {
    expect(ci.trimEnd().split('\n').slice(-2)).toEqual(['npm ci', 'npm test']);
  });
});
