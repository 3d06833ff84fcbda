// Debian's Chromium with the built add-on loaded unpacked (playwright-core, no browser download).
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

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
    env: { ...process.env, LANGUAGE: lang, LANG: lang === 'ja' ? 'ja_JP.UTF-8' : 'en_US.UTF-8' },
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
