// bench/wrap-prose.ts: bench/report.ts writes bench/results.md and the README table: prose within the repository's 140 characters.
import { describe, expect, test } from 'vitest';
import { wrapProse } from '../../bench/wrap-prose.ts';

describe('wrapProse', () => {
  test('a long list item folds at spaces, its continuation indented under the text', () => {
    const item = `- ${'word '.repeat(40).trim()}`;
    const lines = wrapProse(item, 40).split('\n');
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('  word'))).toBe(true);
    expect(lines.join(' ').replaceAll(/ +/g, ' ')).toBe(item);
  });

  test('table rows, headings, code blocks and short lines are kept whole', () => {
    const kept = [`| ${'x '.repeat(40)}|`, `## ${'y '.repeat(40)}`, '```', 'z '.repeat(40), '```', 'short'].join('\n');
    expect(wrapProse(kept, 40)).toBe(kept);
  });
});
