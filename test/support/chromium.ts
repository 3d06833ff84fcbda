// Debian's Chromium with the built add-on loaded unpacked (playwright-core, no browser download).
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const POSIX_LOCALES: Record<string, string> = { en: 'en_US', ja: 'ja_JP', fr: 'fr_FR' };

export interface LoadedExtension {
  readonly context: BrowserContext;
  readonly id: string;
  readonly url: (path: string) => string;
  readonly close: () => Promise<void>;
}

/** Base64 SHA-256 of the certificate's public key: what --ignore-certificate-errors-spki-list pins. */
export function spkiHash(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/**
 * `trust`: server certificates (PEM files) whose keys Chromium accepts, the test resolver's and the
 * policy server's; every *.test name resolves to 127.0.0.1, where the MTA-STS policy server listens.
 */
export async function launchWithExtension({ lang = 'en', trust }: { lang?: string; trust: readonly string[] }): Promise<LoadedExtension> {
  const root = resolve('.');
  const profile = mkdtempSync(join(tmpdir(), 'srv-autoconfig-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: lang,
    env: { ...process.env, LANGUAGE: lang, LANG: `${POSIX_LOCALES[lang] ?? lang}.UTF-8` },
    args: [
      `--load-extension=${root}`,
      `--disable-extensions-except=${root}`,
      `--lang=${lang}`,
      `--ignore-certificate-errors-spki-list=${trust.map((file) => spkiHash(readFileSync(file, 'utf8'))).join(',')}`,
      '--host-resolver-rules=MAP *.test 127.0.0.1',
      // A closed network: no background traffic to Google's hosts (seen refused here, many at a time).
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-default-apps', '--disable-quic', '--no-sandbox', '--disable-gpu',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker', { timeout: 15000 });
  const id = new URL(worker.url()).host;
  return {
    context,
    id,
    url: (path) => `chrome-extension://${id}/${path}`,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly targets: string[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.x A/AA and best-practice rules on the page as it is now. The extension pages'
 * CSP allows no inline script, so axe is evaluated through the DevTools protocol, as Playwright does.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document): Promise<AxeResults> } };
    const results = await axe.run(document);
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** WCAG 2.x contrast ratio of two opaque colours as getComputedStyle gives them (`rgb(r, g, b)`). */
export function contrastRatio(foreground: string, background: string): number {
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (css: string): number => {
    const [r = 0, g = 0, b = 0] = (css.match(/[\d.]+/g) ?? []).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const [high, low] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [number, number];
  return (high + 0.05) / (low + 0.05);
}
