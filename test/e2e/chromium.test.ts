// The built add-on in Debian's Chromium: options → test resolver, popup → real discovery.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { launchWithExtension, type LoadedExtension } from '../support/chromium.ts';

const ARTIFACTS = 'test/artifacts';
const doh = inject('dohUrl');
const trust = ['server.pem', 'policy.pem'].map((file) => join(inject('stateDir'), file));

async function useTestResolver(extension: LoadedExtension): Promise<void> {
  const page = await extension.context.newPage();
  await page.goto(extension.url('popup/options.html'));
  await page.check('#choice-custom');
  await page.fill('#custom-url', doh);
  await page.uncheck('#fallback'); // no public resolver is reachable here, and none should be asked
  await page.fill('#timeout', '4000');
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('saved')?.textContent !== '');
  await page.close();
}

async function autoconfigure(page: Page, address: string): Promise<void> {
  await page.fill('#address', address);
  await page.click('#go');
  await page.waitForFunction(() => !document.getElementById('result')?.hasAttribute('aria-busy') && document.getElementById('status')?.textContent !== '');
  await page.waitForFunction(() => !document.getElementById('go')?.hasAttribute('disabled'));
}

describe('Chromium: the add-on against the test resolver', () => {
  let extension: LoadedExtension;
  let page: Page;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    extension = await launchWithExtension({ trust });
    await useTestResolver(extension);
    page = await extension.context.newPage();
    await page.setViewportSize({ width: 440, height: 720 });
    await page.goto(extension.url('popup/popup.html'));
  });
  afterAll(async () => extension?.close());

  test('options refuse a plain-http resolver with a specific message', async () => {
    const options = await extension.context.newPage();
    await options.goto(extension.url('popup/options.html'));
    await options.check('#choice-custom');
    await options.fill('#custom-url', 'http://127.0.0.1/dns-query');
    await options.click('#save');
    expect(await options.textContent('#custom-error')).toMatch(/https:\/\//);
    expect(await options.getAttribute('#custom-url', 'aria-invalid')).toBe('true');
    await options.close();
  });

  test('autoconfigures alice@example.test: settings table and tls badge', async () => {
    await autoconfigure(page, 'alice@example.test');
    const tables = await page.$$eval('table.settings', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(tables[0]).toMatch(/Incoming mail — IMAP/);
    expect(tables[0]).toMatch(/imap\.example\.test/);
    expect(tables[0]).toMatch(/993/);
    expect(tables[0]).toMatch(/SSL\/TLS/);
    expect(tables[0]).toMatch(/alice@example\.test.*if that fails: alice/);
    expect(tables[1]).toMatch(/Outgoing mail — SMTP.*smtp\.example\.test.*465.*SSL\/TLS/);
    expect(await page.getAttribute('#badge .badge', 'class')).toContain('badge-tls');
    expect(await page.textContent('.dnssec')).toMatch(/validated/);
    expect(await page.textContent('#extras')).toMatch(/POP3 with STARTTLS/);
    // Chromium cannot open sockets to mail servers: the badge says the servers were not probed, and why.
    expect(await page.textContent('#badge')).toMatch(/Servers not probed: this browser cannot open connections/);
    expect(tables[0]).toMatch(/Vouched for by\s*in the domain, DNSSEC/);
    expect(await page.textContent('#status')).toMatch(/found in \d+ ms \(\d+ DNS queries\)/);
    const transport = await page.textContent('table.transport');
    expect(transport).toMatch(/MTA-STS.*must deliver to this domain encrypted.*Mode enforce · servers smtp\.example\.test · remembered by senders for up to 1 d\./);
    expect(transport).toMatch(/TLS-RPT.*Reports go to mailto:tlsrpt@example\.test/);
    expect(transport).toMatch(/DANE.*imap\.example\.test port 993: certificate pinned with DNSSEC/);
    expect(await page.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}))).toBe('TLS');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${ARTIFACTS}/popup-en-${scheme}.png`, fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('a second lookup of the domain comes from the cache', async () => {
    await autoconfigure(page, 'bob@example.test');
    expect(await page.textContent('#status')).toMatch(/remembered/);
    expect(await page.textContent('table.settings')).toMatch(/bob@example\.test/);
  });

  test('an unverified configuration cannot be copied until the user confirms it', async () => {
    await autoconfigure(page, 'frank@outside.test');
    expect(await page.getAttribute('#badge .badge', 'class')).toContain('badge-unverified');
    expect(await page.isVisible('#confirm')).toBe(true);
    expect(await page.$$eval('button.copy', (bs) => bs.every((b) => (b as HTMLButtonElement).disabled))).toBe(true);
    await page.check('#trust');
    expect(await page.$$eval('button.copy', (bs) => bs.every((b) => !(b as HTMLButtonElement).disabled))).toBe(true);
    expect(await page.textContent('table.settings')).toMatch(/outside outside\.test/);
    await page.screenshot({ path: `${ARTIFACTS}/popup-en-unverified.png`, fullPage: true });
  });

  test('a malformed address names the problem and how to fix it', async () => {
    await autoconfigure(page, 'alice.example.test');
    expect(await page.textContent('#status')).toMatch(/no "@".*name@example\.com/);
    expect(await page.getAttribute('#address', 'aria-invalid')).toBe('true');
  });

  test('a resolver failure names the label and the resolver', async () => {
    await autoconfigure(page, 'm@bogus.test');
    const text = await page.textContent('#status');
    expect(text).toContain('bogus.test');
    expect(text).toContain(doh);
    expect(text).toMatch(/SERVFAIL/);
  });

  test('HTML in DNS names and in the address stays inert text', async () => {
    await page.evaluate(() => ((window as unknown as { alerted: number }).alerted = 0));
    await page.evaluate(() => (window.alert = () => void ((window as unknown as { alerted: number }).alerted += 1)));
    await autoconfigure(page, '"<img src=x onerror=alert(3)>"@xss.test');
    await page.click('#extras details:last-of-type summary');
    const result = page.locator('#result');
    expect(await result.locator('img, script, b').count()).toBe(0);
    expect(await page.textContent('#extras')).toContain('\\060img\\032src\\061x');
    expect(await page.textContent('#extras')).toContain('\\060script\\062');
    expect(await page.textContent('table.settings')).toContain('<img src=x onerror=alert(3)>');
    // The MTA-STS TXT record itself carries markup; it is shown as the text it is.
    expect(await page.textContent('table.transport')).toContain('v=STSv1; id=<img src=x onerror=alert(4)>;');
    expect(await page.evaluate(() => (window as unknown as { alerted: number }).alerted)).toBe(0);
  });
});

describe('Chromium: the probe rows of a result probed elsewhere (Thunderbird, kept in storage)', () => {
  test('certificate facts are rows of text, a failed probe is said in words, and it needs the trust tick', async () => {
    const extension = await launchWithExtension({ trust });
    try {
      await useTestResolver(extension);
      const page = await extension.context.newPage();
      await page.goto(extension.url('popup/popup.html'));
      await autoconfigure(page, 'alice@example.test');
      // The stored last lookup gets what a Thunderbird probe would have found: an expired certificate whose
      // issuer carries markup.
      await page.evaluate(async () => {
        type Area = { get(key: string): Promise<Record<string, unknown>>; set(items: object): Promise<void> };
        const storage = (globalThis as unknown as { chrome: { storage: { local: Area } } }).chrome.storage.local;
        const { last } = await storage.get('last') as { last: { response: { discovery: Record<string, Record<string, unknown>> } } };
        const issuer = '<img src=x onerror=alert(5)>';
        const certificate = { valid: false, namesTarget: true, namesDomain: false, notAfter: '2026-11-22T18:54:09Z', issuer };
        last.response.discovery['incoming']!['probe'] = {
          status: 'failed', tlsVersion: 'TLSv1.3', certificate, starttls: null, auth: ['PLAIN'], dane: 'absent',
          reason: 'probe-certificate-expired',
        };
        await storage.set({ last });
      });
      await page.reload();
      await page.waitForSelector('table.settings');
      const incoming = await page.textContent('table.settings');
      expect(incoming).toMatch(/Server probe\s*failed — TLSv1\.3 — The server's certificate has expired\./);
      expect(incoming).toMatch(/Certificate\s*not valid · names the server · Valid until 2026-11-22 · /);
      expect(incoming).toContain('Issuer <img src=x onerror=alert(5)>');
      expect(incoming).toMatch(/Sign-in methods PLAIN · DANE absent/);
      expect(await page.locator('#result img').count()).toBe(0);
      expect(await page.isHidden('#confirm')).toBe(false);
      expect(await page.isDisabled('table.settings button.copy >> nth=0')).toBe(true);
      await page.check('#trust');
      expect(await page.isDisabled('table.settings button.copy >> nth=0')).toBe(false);
    } finally {
      await extension.close();
    }
  });
});

describe('Chromium in Japanese', () => {
  test('the popup speaks Japanese and renders in both themes', async () => {
    const extension = await launchWithExtension({ lang: 'ja', trust });
    try {
      await useTestResolver(extension);
      const page = await extension.context.newPage();
      await page.setViewportSize({ width: 440, height: 720 });
      await page.goto(extension.url('popup/popup.html'));
      expect(await page.textContent('#go')).toBe('自動設定');
      await autoconfigure(page, 'taro@starttls.test');
      expect(await page.textContent('table.settings')).toMatch(/受信メール — IMAP/);
      expect(await page.textContent('#badge')).toMatch(/STARTTLS で暗号化/);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: `${ARTIFACTS}/popup-ja-${scheme}.png`, fullPage: true });
      }
    } finally {
      await extension.close();
    }
  });
});
