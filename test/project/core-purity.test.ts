// docs/architecture.md: src/core is pure (IO arrives through Platform) and dns-packet has one adapter.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Code without comments and string contents, so a comment citing `fetch` does not count. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
}

const core = sources('src/core');
const BANNED_GLOBALS: [string, RegExp][] = [
  ['global fetch', /(?<![.\w])fetch\s*\(/],
  ['Date.now', /\bDate\.now\b/],
  ['new Date', /\bnew\s+Date\b/],
  ['Math.random', /\bMath\.random\b/],
  ['crypto', /(?<![.\w])crypto\b/],
  ['timers', /(?<![.\w])(setTimeout|setInterval|queueMicrotask)\s*\(/],
  ['AbortSignal.timeout', /\bAbortSignal\.timeout\b/],
  ['browser globals', /(?<![.\w])(document|window|navigator|localStorage|browser|chrome|messenger)\s*\./],
  ['process', /(?<![.\w])process\s*\./],
  ['URL parser (IDNA goes through platform.toAscii)', /\bnew\s+URL\b/],
];

describe('src/core purity', () => {
  test('src/core has files to check', () => expect(core.length).toBeGreaterThan(10));

  test.each(core)('%s imports only core modules (dns-packet and buffer only in dns/wire.ts)', (file) => {
    const imports = [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
    const allowedPackages = file.endsWith(join('dns', 'wire.ts')) ? ['dns-packet', 'buffer'] : [];
    for (const specifier of imports) {
      if (specifier.startsWith('.')) continue;
      expect(allowedPackages, `${file} imports ${specifier}`).toContain(specifier);
    }
  });

  test.each(core)('%s reads no IO global (fetch, clock, random, timers, browser, process)', (file) => {
    const text = code(file);
    for (const [name, pattern] of BANNED_GLOBALS) expect(pattern.test(text), `${file} uses ${name}`).toBe(false);
  });
});

describe('each third-party library in one adapter file', () => {
  const all = ['src', 'popup'].flatMap(sources);
  const importers = (library: string) => all.filter((f) => new RegExp(`from\\s+'${library}'`).test(readFileSync(f, 'utf8')));

  test('webextension-polyfill is imported by src/browser-api.ts only (type imports aside)', () => {
    const valueImports = all.filter((f) => /^import\s+(?!type\b)[^;]*from\s+'webextension-polyfill'/m.test(readFileSync(f, 'utf8')));
    expect(valueImports).toEqual([join('src', 'browser-api.ts')]);
  });

  test('dns-packet is imported by src/core/dns/wire.ts only', () => {
    expect(importers('dns-packet')).toEqual([join('src', 'core', 'dns', 'wire.ts')]);
  });
});
