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

test.each(conformance)('every test in %s starts with the RFC it checks', (file) => {
  const source = readFileSync(file, 'utf8');
  const names = testNames(source);
  expect(names.length).toBeGreaterThan(0);
  // A table whose test name is its cases' `name` ('$name') puts the section in each case's name.
  const caseNames = [...source.matchAll(/\bname: (['"`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2] ?? '');
  const written = names.flatMap((name) => (name.startsWith('$name') ? caseNames : [name]));
  expect(written.filter((name) => !/^RFC \d+/.test(name))).toEqual([]);
});
