// docs/architecture.md: no line over 140 characters in the code and tests, so every diff and review reads without scrolling.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const MAX = 140;
const ROOTS = ['src', 'popup', 'bench', 'test', 'scripts'];
// Data, not code: zone files, captured answers, screenshots and the test artifacts written by runs.
const SKIPPED_DIRS = new Set(['fixtures', 'artifacts', 'node_modules']);
const CHECKED = /\.(ts|js|mjs|html|css|json|md)$/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : files(join(dir, e.name));
    return CHECKED.test(e.name) ? [join(dir, e.name)] : [];
  });
}

// A line its syntax cannot break: a Markdown table row, a JSON schema's regular expression (a description is prose,
// and can be said shorter).
const UNBREAKABLE = { md: /^\s*\|/, json: /^\s*"pattern": "(?:[^"\\]|\\.)*",?$/ } as const;

/** Lines over the limit, except those the file's syntax cannot break. */
export function longLines(text: string, syntax: 'md' | 'json' | 'code'): string[] {
  const unbreakable = syntax === 'code' ? null : UNBREAKABLE[syntax];
  return text
    .split('\n')
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => [...line].length > MAX && !(unbreakable?.test(line) ?? false))
    .map(({ line, number }) => `${number}: ${line.slice(0, 60)}…`);
}

describe('line length', () => {
  const all = ROOTS.flatMap((root) => files(root));

  test('there are files to check', () => expect(all.length).toBeGreaterThan(100));

  test('a line of 141 characters is found, one of 140 is not; a Markdown row or a JSON pattern is skipped', () => {
    expect(longLines(`${'x'.repeat(140)}\n${'y'.repeat(141)}`, 'code')).toEqual([`2: ${'y'.repeat(60)}…`]);
    expect(longLines(`| ${'x'.repeat(150)} |`, 'md')).toEqual([]);
    expect(longLines(`| ${'x'.repeat(150)} |`, 'code')).toHaveLength(1);
    expect(longLines(`  "pattern": "${'x'.repeat(150)}",`, 'json')).toEqual([]);
    expect(longLines(`  "description": "${'x'.repeat(150)}",`, 'json')).toHaveLength(1);
    expect(longLines(`  "a": [${'1, '.repeat(50)}1],`, 'json')).toHaveLength(1);
  });

  test.each(all)(`%s has no line over ${MAX} characters`, (file) => {
    const syntax = file.endsWith('.md') ? 'md' : file.endsWith('.json') ? 'json' : 'code';
    expect(longLines(readFileSync(file, 'utf8'), syntax)).toEqual([]);
  });
});
