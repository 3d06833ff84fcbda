// A conformance test names the RFC section it checks, so coverage can be read off the RFCs' contents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );

/** The first argument of every test(…) and test.each(…)(…) call: the test's name as written. */
export function testNames(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/\b(?:test|it)(\.each\()?/g)) {
    let i = (m.index ?? 0) + m[0].length;
    if (m[1] !== undefined) {
      // Skip the table: up to the bracket that closes `.each(`, then the call's own `(`.
      let depth = 1;
      while (i < source.length && depth > 0) {
        const c = source[i++];
        if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') depth--;
      }
    } else if (source[i] !== '(') continue;
    const rest = source.slice(i).replace(/^\(\s*/, '');
    const quoted = /^(['"`])((?:\\.|(?!\1).)*)\1/s.exec(rest);
    if (quoted?.[2] !== undefined) names.push(quoted[2]);
  }
  return names;
}

const conformance = files(join('test', 'conformance'));

test('the name finder sees plain and table-driven tests', () => {
  expect(testNames("test('RFC 1 §2: a', () => {}); test.each([{ a: 1 }])('RFC 3 §4: $a', () => {});")).toEqual([
    'RFC 1 §2: a',
    'RFC 3 §4: $a',
  ]);
});

/**
 * `RFC 6186 §3.4`, or the heading for an RFC without numbered sections (`RFC 2782 "Usage rules"`), at the start of
 * the name; the RFC number comes back, or null when the name does not start so.
 */
export function citedRfc(name: string): string | null {
  return /^RFC (\d+) (?:§\d+(?:\.\d+)*|"[^"]+")/.exec(name)?.[1] ?? null;
}

test('a citation needs a section or a heading, not the RFC alone', () => {
  expect(['RFC 6186 §3.4: a', 'RFC 8461 §3.2 and more', 'RFC 2782 "Usage rules": a'].map(citedRfc)).toEqual(['6186', '8461', '2782']);
  expect(['RFC 2782: a', 'RFC 8467 (padding)', 'rfc 6186 §3', 'see RFC 6186 §3', 'RFC 6186 §: a'].map(citedRfc)).toEqual(
    [null, null, null, null, null],
  );
});

test.each(conformance)('every test in %s starts with the RFC section it checks, and one with its folder\'s RFC', (file) => {
  const source = readFileSync(file, 'utf8');
  const names = testNames(source);
  expect(names.length).toBeGreaterThan(0);
  // A table whose test name is its cases' `name` ('$name') puts the section in each case's name.
  const caseNames = [...source.matchAll(/\bname: (['"`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2] ?? '');
  const written = names.flatMap((name) => (name.startsWith('$name') ? caseNames : [name]));
  expect(written.filter((name) => citedRfc(name) === null)).toEqual([]);
  // A test may cite the RFC the folder's one relies on (RFC 6698 for DANE matching); the folder's own is cited too.
  const folder = /rfc(\d+)/.exec(file)?.[1];
  expect(written.map(citedRfc)).toContain(folder);
});
