// every manifest path exists (case-sensitively), en and ja carry the same messages,
// and every message the code asks for, and every reason code, has text.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';

const manifest = JSON.parse(readFileSync('manifest.json', 'utf8'));
const locales = Object.fromEntries(
  ['en', 'ja'].map((l) => [
    l,
    JSON.parse(readFileSync(`_locales/${l}/messages.json`, 'utf8')) as Record<
      string,
      { message: string; placeholders?: Record<string, unknown> }
    >,
  ]),
);

/** True when `path` exists with exactly this case in every segment. */
function existsExactly(path: string): boolean {
  let dir = '.';
  for (const part of path.split('/')) {
    if (!readdirSync(dir).includes(part)) return false;
    dir = join(dir, part);
  }
  return true;
}

function manifestPaths(): string[] {
  return [
    ...Object.values(manifest.icons as Record<string, string>),
    ...Object.values(manifest.action.default_icon as Record<string, string>),
    manifest.action.default_popup,
    manifest.options_ui.page,
    ...manifest.background.scripts,
    manifest.background.service_worker,
  ];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|html)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('manifest', () => {
  test.each(manifestPaths())('%s exists with this exact case (after npm run build)', (path) => {
    expect(existsExactly(path)).toBe(true);
  });

  test('pages load only scripts and styles that exist', () => {
    for (const page of [manifest.action.default_popup, manifest.options_ui.page]) {
      const html = readFileSync(page, 'utf8');
      for (const [, ref] of html.matchAll(/(?:src|href)="([^"#]+)"/g)) {
        expect(existsExactly(join(dirname(page), ref!).replaceAll('\\', '/')), `${page} → ${ref}`).toBe(true);
      }
    }
  });

  test('MV3, gecko id and strict_min_version 128.0, and no remote code in the CSP', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.browser_specific_settings.gecko).toMatchObject({ strict_min_version: '128.0' });
    expect(manifest.content_security_policy.extension_pages).toMatch(/script-src 'self';/);
    expect(manifest.content_security_policy.extension_pages).not.toMatch(/unsafe|http:|\*/);
  });

  test('__MSG_ names in the manifest exist', () => {
    for (const [, key] of JSON.stringify(manifest).matchAll(/__MSG_(\w+)__/g)) expect(locales.en).toHaveProperty(key!);
  });
});

describe('_locales', () => {
  test('en and ja have the same message names and placeholders', () => {
    expect(Object.keys(locales.ja!).sort()).toEqual(Object.keys(locales.en!).sort());
    for (const [key, value] of Object.entries(locales.en!)) {
      expect(Object.keys(locales.ja![key]?.placeholders ?? {}), key).toEqual(Object.keys(value.placeholders ?? {}));
    }
  });

  test('every ja message is translated (differs from en) except names and protocol words', () => {
    const same = Object.keys(locales.en!).filter((k) => locales.en![k]!.message === locales.ja![k]!.message);
    expect(same.every((k) => /^(extensionName|popupTitle|protocol_|security_|badgeText_|label_)/.test(k)), same.join(', ')).toBe(true);
  });

  test('every $PLACEHOLDER$ used in a message is declared', () => {
    for (const [locale, messages] of Object.entries(locales)) {
      for (const [key, value] of Object.entries(messages)) {
        for (const [, name] of value.message.matchAll(/\$(\w+)\$/g))
          expect(value.placeholders, `${locale}:${key}`).toHaveProperty(name!.toLowerCase());
      }
    }
  });

  test('every message name the pages and background ask for exists', () => {
    const asked = new Set<string>();
    for (const file of [...sources('popup'), ...sources('src/background')]) {
      const text = readFileSync(file, 'utf8');
      for (const [, key] of text.matchAll(/data-i18n(?:-aria)?="(\w+)"/g)) asked.add(key!);
      for (const [, key] of text.matchAll(/\bt\('(\w+)'/g)) asked.add(key!);
      for (const [, key] of text.matchAll(/getMessage\('(\w+)'/g)) asked.add(key!);
    }
    expect(asked.size).toBeGreaterThan(20);
    for (const key of asked) expect(locales.en, key).toHaveProperty(key);
  });

  test('every reason code of src/core/reasons.ts, badge level and service label has a message', () => {
    const reasons = readFileSync('src/core/reasons.ts', 'utf8');
    const codes = [...reasons.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(40);
    for (const code of codes) expect(locales.en, code).toHaveProperty(`reason_${code.replaceAll('-', '_')}`);
    for (const level of ['tls', 'starttls', 'unverified', 'none']) {
      for (const prefix of ['badgeLevel_', 'badgeText_', 'badgeTitle_']) expect(locales.en).toHaveProperty(`${prefix}${level}`);
    }
    for (const service of ['submissions', 'submission', 'imaps', 'imap', 'pop3s', 'pop3'])
      expect(locales.en).toHaveProperty(`service_${service}`);
  });
});

test('dist/ holds the built bundles the manifest names', () => {
  const built = ['background', 'service-worker', 'popup', 'options'].filter((name) => existsSync(`dist/${name}.js`));
  expect(built).toEqual(['background', 'service-worker', 'popup', 'options']);
});
