// The built add-on in Debian's Chromium: options → test resolver, popup → real discovery.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { axeViolations, contrastRatio, launchWithExtension, type AxeViolation, type LoadedExtension } from '../support/chromium.ts';

const ARTIFACTS = 'test/artifacts';
const SCHEMES = ['light', 'dark'] as const;
/** Every axe run of this file, by name: written to test/artifacts/axe.json for the record. */
const axeRuns: Record<string, AxeViolation[]> = {};
const doh = inject('dohUrl');
const trust = ['server.pem', 'policy.pem'].map((file) => join(inject('stateDir'), file));

afterAll(() => writeFileSync(`${ARTIFACTS}/axe.json`, `${JSON.stringify(axeRuns, null, 2)}\n`));

/** The parts of the extension API a test reaches into from the page (`chrome`, and `browser` where native). */
interface PageExtensionApi {
  readonly runtime: { sendMessage(...args: unknown[]): unknown };
  readonly storage: { readonly local: { get(key: string): Promise<Record<string, unknown>>; set(items: object): Promise<void> } };
  readonly i18n: { getUILanguage(): string };
}

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
  await page.waitForFunction(() => !document.getElementById('result')?.hasAttribute('aria-busy')
    && document.getElementById('status')?.textContent !== '');
  await page.waitForFunction(() => document.getElementById('go')?.getAttribute('aria-disabled') !== 'true');
}

/** axe-core in light and dark: no violation of any impact (each run also recorded in test/artifacts/axe.json). */
async function expectAccessible(page: Page, name: string): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await axeViolations(page);
    axeRuns[`${name} (${scheme})`] = violations;
    expect(violations.map((v) => `${v.impact}: ${v.id}`), `${name} (${scheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Computed colours of the page's text and of a badge of each level, in one colour scheme. */
async function themeColours(page: Page, scheme: (typeof SCHEMES)[number]): Promise<Record<string, { color: string; background: string }>> {
  await page.emulateMedia({ colorScheme: scheme });
  return page.evaluate(() => {
    const colours = (element: Element, background: Element = element) =>
      ({ color: getComputedStyle(element).color, background: getComputedStyle(background).backgroundColor });
    const found: Record<string, { color: string; background: string }> = { body: colours(document.body) };
    const shown = document.querySelector('#badge .badge');
    if (shown !== null) found['shown badge'] = colours(shown);
    // Every level, as the renderer would draw it, so a level this page does not show is checked too.
    for (const level of ['tls', 'starttls', 'unverified', 'none']) {
      const probe = document.createElement('h2');
      probe.className = `badge badge-${level}`;
      probe.textContent = level;
      document.body.append(probe);
      found[`badge ${level}`] = colours(probe);
      probe.remove();
    }
    for (const [name, className] of [['hint', 'hint'], ['error', 'status error']] as const) {
      const probe = document.createElement('p');
      probe.className = className;
      probe.textContent = name;
      document.querySelector('main')?.append(probe);
      found[name] = colours(probe, document.body);
      probe.remove();
    }
    return found;
  });
}

/** Light and dark are different themes, and each keeps text and badges at WCAG AA contrast (1.4.3: 4.5:1). */
async function expectReadableThemes(page: Page): Promise<void> {
  const [light, dark] = [await themeColours(page, 'light'), await themeColours(page, 'dark')];
  await page.emulateMedia({ colorScheme: 'light' });
  expect(light.body).not.toEqual(dark.body);
  expect(light['badge tls']?.background).not.toBe(dark['badge tls']?.background);
  expect(Object.keys(light)).toContain('shown badge');
  for (const [scheme, colours] of [['light', light], ['dark', dark]] as const) {
    for (const [name, { color, background }] of Object.entries(colours)) {
      expect(contrastRatio(color, background), `${scheme} ${name}: ${color} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
  }
}

/** The CSS `::before` content of each element matching `selector` (a symbol beside the colour). */
const markers = (page: Page, selector: string): Promise<string[]> =>
  page.$$eval(selector, (els) => els.map((e) => getComputedStyle(e, '::before').content));

/** The text of every live region on the page (role=status or aria-live). */
const announced = (page: Page): Promise<string> =>
  page.$$eval('[role="status"], [aria-live]', (els) => els.map((e) => e.textContent ?? '').join(' | '));

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

  test('RFC 8484 §4.1: options take a resolver URI template ({?dns}) as its URL, and refuse other templates', async () => {
    const options = await extension.context.newPage();
    await options.goto(extension.url('popup/options.html'));
    await options.check('#choice-custom');
    await options.fill('#custom-url', `${doh}/x{?name}`);
    await options.click('#save');
    expect(await options.textContent('#custom-error')).toMatch(/\{\?dns\}/);
    await options.fill('#custom-url', `${doh}{?dns}`);
    await options.click('#save');
    await options.waitForFunction(() => document.getElementById('saved')?.textContent !== '');
    expect(await options.textContent('#custom-error')).toBe('');
    expect(await options.inputValue('#custom-url')).toBe(doh);
    await options.close();
    // The saved resolver answers: the template was not sent as a path.
    await autoconfigure(page, 'd@tie.test');
    expect(await page.getAttribute('#badge .badge', 'class')).toContain('badge-tls');
  });

  test('RFC 6531 §3.3: a Unicode local-part at an IDN domain logs in with the whole address in Unicode', async () => {
    await autoconfigure(page, 'ユーザー@bücher.test');
    const tables = await page.$$eval('table.settings', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(tables[0]).toMatch(/imap\.xn--bcher-kva\.test/);
    expect(tables[0]).toMatch(/ユーザー@bücher\.test.*if that fails: ユーザー/);
    expect(tables[0]).not.toMatch(/ユーザー@xn--/);
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
    expect(transport).toMatch(/MTA-STS.*must deliver to this domain encrypted.*Mode enforce · servers smtp\.example\.test · /);
    expect(transport).toMatch(/ · remembered by senders for up to 1 d\./);
    expect(transport).toMatch(/TLS-RPT.*Reports go to mailto:tlsrpt@example\.test/);
    expect(transport).toMatch(/DANE.*imap\.example\.test port 993: certificate pinned with DNSSEC/);
    type Action = { action: { getBadgeText(details: object): Promise<string> } };
    expect(await page.evaluate(() => (globalThis as unknown as { chrome: Action }).chrome.action.getBadgeText({}))).toBe('TLS');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${ARTIFACTS}/popup-en-${scheme}.png`, fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('a result: one h1, headings in order, and the badge level is a heading', async () => {
    const levels = await page.$$eval('h1, h2, h3, h4, h5, h6',
      (hs) => hs.filter((h) => h.getClientRects().length > 0).map((h) => Number(h.tagName[1])));
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(levels[0]).toBe(1);
    for (const [i, level] of levels.entries()) if (i > 0) expect(level, levels.join(' ')).toBeLessThanOrEqual(levels[i - 1]! + 1);
    const badge = page.locator('#badge').getByRole('heading', { name: 'Secure: TLS from the first byte, both ways' });
    expect(await badge.count()).toBe(1);
  });

  test('only status lines are live regions: the result tables are not read out whole', async () => {
    const live = await page.$$eval('[aria-live], [role="status"], [role="alert"], [role="log"]',
      (els) => els.map((e) => ({ id: e.id, tag: e.tagName, tables: e.querySelectorAll('table, ul, button').length })));
    expect(live.length).toBeGreaterThan(0);
    for (const region of live) expect(region, JSON.stringify(region)).toMatchObject({ tag: 'P', tables: 0 });
  });

  test('state is never shown by colour alone: badge, transport rows and errors carry a symbol', async () => {
    const [badge] = await markers(page, '#badge .badge');
    expect(badge).toMatch(/^"\S+/);
    const cells = await page.$$eval('table.transport td.state', (tds) => tds.map((td) => ({
      state: [...td.classList].find((c) => c.startsWith('state-')),
      symbol: [...td.children].map((line) => getComputedStyle(line, '::before').content).find((c) => c !== 'none') ?? 'none',
    })));
    expect(cells.length).toBe(3);
    for (const cell of cells) expect(cell.symbol, cell.state).toMatch(/^"\S+/);
    // One symbol per state, so good and bad rows differ without their colour.
    const byState = new Map(cells.map((c) => [c.state, c.symbol]));
    expect(new Set(byState.values()).size).toBe(byState.size);
  });

  test('copying a value is announced to screen readers', async () => {
    await page.getByRole('button', { name: 'Copy Server imap.example.test' }).click({ timeout: 2000 });
    await page.waitForFunction(() => /cop/i.test(document.getElementById('announce')?.textContent ?? ''), null, { timeout: 2000 });
    expect(await announced(page)).toContain('Copied: Server imap.example.test');
  });

  test('light and dark are different themes, both with readable text and badges (≥ 4.5:1)', async () => {
    await expectReadableThemes(page);
  });

  test('axe: a result in light and dark has no serious or critical violation', async () => {
    await expectAccessible(page, 'popup en, tls result');
  });

  test('English plurals: "1 DNS query", "1 more record"', async () => {
    // The last lookup as the background stored it, with counts of one: the popup renders it on opening.
    const counted = await extension.context.newPage();
    await counted.goto(extension.url('popup/popup.html'));
    await counted.evaluate(async () => {
      const { storage } = (globalThis as unknown as { chrome: PageExtensionApi }).chrome;
      const { last } = await storage.local.get('last') as { last: { response: { discovery: Record<string, unknown> } } };
      const d = last.response.discovery;
      Object.assign(d, { fromCache: false, timing: { elapsedMs: 12, queries: 1 } });
      d.rejected = [{ label: '_imaps._tcp.example.test', target: '', port: 0, reason: 'records-over-limit', count: 1 }];
      await storage.local.set({ last });
    });
    await counted.reload();
    await counted.waitForFunction(() => document.querySelector('#badge .badge') !== null);
    expect(await counted.textContent('#status')).toMatch(/found in 12 ms \(1 DNS query\)\./);
    expect(await counted.textContent('#extras')).toMatch(/_imaps\._tcp\.example\.test: 1 more record ignored/);
    await counted.close();
  });

  test('Autoconfigure keeps the keyboard focus while it works and after', async () => {
    // A domain not looked up yet, so the lookup takes long enough for a disabled button to lose the focus.
    await page.fill('#address', 'keys@starttls.test');
    await page.focus('#go');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('result')?.hasAttribute('aria-busy'));
    const during = await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(document.activeElement?.id))));
    await page.waitForFunction(() => !document.getElementById('result')?.hasAttribute('aria-busy'));
    expect(await page.textContent('#status')).toMatch(/starttls\.test found/);
    expect([during, await page.evaluate(() => document.activeElement?.id)]).toEqual(['go', 'go']);
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
    await expectAccessible(page, 'popup en, unverified result');
  });

  test('a malformed address names the problem and how to fix it', async () => {
    await autoconfigure(page, 'alice.example.test');
    expect(await page.textContent('#status')).toMatch(/no "@".*name@example\.com/);
    expect(await page.getAttribute('#address', 'aria-invalid')).toBe('true');
    const [symbol] = await markers(page, '#status.error');
    expect(symbol).toMatch(/^"\S+/);
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

describe('Chromium: the options page', () => {
  test('axe: the options page in light and dark, English and Japanese', async () => {
    for (const lang of ['en', 'ja']) {
      const extension = await launchWithExtension({ lang, trust });
      try {
        const options = await extension.context.newPage();
        await options.goto(extension.url('popup/options.html'));
        await options.waitForFunction(() => !(document.getElementById('save') as HTMLButtonElement).disabled);
        expect(await options.getAttribute('html', 'lang')).toBe(lang);
        await expectAccessible(options, `options ${lang}`);
      } finally {
        await extension.close();
      }
    }
  });
});

/** Accounts as the background reports them in Thunderbird: one weaker than published, one offered unverified servers. */
const ACCOUNTS = [
  {
    accountId: 'account1', address: 'alice@example.org', fromCache: false, level: 'starttls',
    incoming: { protocol: 'imap', hostname: 'mail.example.org', port: 143, security: 'starttls', username: 'alice' },
    outgoing: { protocol: 'smtp', hostname: 'mail.example.org', port: 587, security: 'starttls', username: 'alice' },
    weaknesses: ['weak-starttls-while-tls-offered'],
    published: { level: 'tls', reasons: ['all-implicit-tls', 'dnssec-validated'] },
    proposal: {
      incoming: { protocol: 'imap', hostname: 'imap.example.org', port: 993, security: 'tls' },
      outgoing: { protocol: 'smtp', hostname: 'smtp.example.org', port: 465, security: 'tls' },
      verified: true,
    },
  },
  {
    accountId: 'account2', address: 'bob@example.net', fromCache: false, level: 'starttls',
    incoming: { protocol: 'imap', hostname: 'imap.example.net', port: 143, security: 'starttls', username: 'bob' },
    outgoing: null,
    weaknesses: [],
    published: { level: 'unverified', reasons: ['incoming-outside-domain'] },
    proposal: {
      incoming: { protocol: 'imap', hostname: 'imap.elsewhere.test', port: 993, security: 'tls' }, outgoing: null, verified: false,
    },
  },
];

/** The popup's account list in `lang`, with Thunderbird's answers faked at the message boundary. */
async function openAccountList(lang: string): Promise<{ extension: LoadedExtension; page: Page }> {
  const extension = await launchWithExtension({ lang, trust });
  const page = await extension.context.newPage();
  // Thunderbird's answers: Chromium has no accounts, so the page's messages for them get fixed replies.
  await page.addInitScript((accounts) => {
    const sent: unknown[] = [];
    const replies: Record<string, unknown> = {
      capabilities: { createAccounts: true },
      listAccounts: { accounts },
      updateAccount: { ok: true, account: accounts[0] },
      recheckAccount: accounts[1],
    };
    // `holdFor`: that account's look-up-again answer waits for release(), so another redraw can come meanwhile.
    const held: (() => void)[] = [];
    const release = (): void => {
      Object.assign(window, { holdFor: null });
      for (const answer of held.splice(0)) answer();
    };
    Object.assign(window, { sent, holdFor: null, release });
    const scope = globalThis as unknown as { browser?: PageExtensionApi; chrome?: PageExtensionApi };
    for (const api of [scope.browser, scope.chrome]) {
      if (api?.runtime === undefined) continue;
      const original = api.runtime.sendMessage.bind(api.runtime);
      Object.assign(api.runtime, {
        sendMessage: (message: { type: string }, ...rest: unknown[]) => {
          if (!(message.type in replies)) return original(message, ...rest);
          sent.push(message);
          const reply = replies[message.type];
          const { accountId } = message as { accountId?: string };
          const hold = message.type === 'recheckAccount' && accountId === (window as { holdFor?: string }).holdFor;
          return hold ? new Promise((resolve) => held.push(() => resolve(reply))) : Promise.resolve(reply);
        },
      });
    }
  }, ACCOUNTS);
  await page.setViewportSize({ width: 440, height: 900 });
  await page.goto(extension.url('popup/popup.html'));
  await page.waitForSelector('#account-list li');
  return { extension, page };
}

describe('Chromium: the account list (the background faked at the message boundary)', () => {
  let extension: LoadedExtension;
  let page: Page;
  beforeAll(async () => {
    ({ extension, page } = await openAccountList('en'));
  });
  afterAll(async () => extension?.close());

  const recheck = (address: string) =>
    page.getByRole('button', { name: `It fails to connect: look up its servers again (${address})`, exact: true });
  /** Marks the controls drawn now, so redrawn() can wait for a new list. */
  const markDrawn = () => page.evaluate(() => {
    for (const control of document.querySelectorAll('#account-list [data-control]')) control.setAttribute('data-drawn-before', '');
  });
  const redrawn = () => page.waitForFunction(() => !document.querySelector('[data-drawn-before]'), undefined, { timeout: 2000 });
  /** The focused control's data-control, marked "replaced" if it is not of the list drawn last. */
  const focusedControl = () => page.evaluate(() => {
    const active = document.activeElement;
    return `${active?.hasAttribute('data-drawn-before') === true ? 'replaced ' : ''}${active?.getAttribute('data-control')}`;
  });
  const sentOf = (type: string) =>
    page.evaluate((t) => (window as unknown as { sent: { type: string }[] }).sent.filter((m) => m.type === t).length, type);

  test('each account\'s controls are named after the account (their visible words first)', async () => {
    const named = (role: 'button' | 'checkbox', name: string) => page.getByRole(role, { name, exact: true }).count();
    const published = 'imap.example.org:993 SSL/TLS, smtp.example.org:465 SSL/TLS';
    expect(await named('button', `Use the published settings: ${published} (alice@example.org)`)).toBe(1);
    expect(await named('button', 'Move to these unverified servers: imap.elsewhere.test:993 SSL/TLS (bob@example.net)')).toBe(1);
    expect(await named('checkbox', 'I trust these servers (bob@example.net)')).toBe(1);
    for (const address of ['alice@example.org', 'bob@example.net']) {
      expect(await named('button', `It fails to connect: look up its servers again (${address})`)).toBe(1);
    }
  });

  test('the weak lines carry a symbol beside their colour', async () => {
    const symbols = await markers(page, '#account-list .weak');
    expect(symbols.length).toBeGreaterThan(0);
    for (const symbol of symbols) expect(symbol).toMatch(/^"\S+/);
  });

  test('axe: the account list in light and dark', async () => {
    await expectAccessible(page, 'popup en, account list');
  });

  test('the first click is announced as asking for a confirming second click; the second is announced when done', async () => {
    const updates = () => page.evaluate(() =>
      (window as unknown as { sent: { type: string }[] }).sent.filter((m) => m.type === 'updateAccount'));
    const statusSays = (pattern: RegExp) => page.waitForFunction(
      (source) => new RegExp(source).test(document.getElementById('accounts-status')?.textContent ?? ''),
      pattern.source, { timeout: 2000 });
    await page.getByRole('button', { name: /^Use the published settings: .*\(alice@example\.org\)$/ }).click({ timeout: 2000 });
    await statusSays(/Press again/);
    const published = 'imap.example.org:993 SSL/TLS, smtp.example.org:465 SSL/TLS';
    expect(await announced(page)).toContain(`Press again to change alice@example.org to ${published}.`);
    expect(await updates()).toEqual([]);
    await markDrawn();
    await page.getByRole('button', { name: /^Confirm: change the account to .*\(alice@example\.org\)$/ }).click({ timeout: 2000 });
    await statusSays(/updated/);
    expect(await announced(page)).toContain('alice@example.org: updated.');
    expect(await updates()).toMatchObject([{ type: 'updateAccount', accountId: 'account1', confirmed: true, trusted: false }]);
    // The list is drawn again after the move; the focus is on the new list's button for the account, not lost to the page.
    await redrawn();
    expect(await focusedControl()).toBe('update account1');
  });

  test('the keyboard focus stays on an account\'s control when the list is drawn again (look up again, by Enter)', async () => {
    await recheck('bob@example.net').focus();
    await markDrawn();
    await page.keyboard.press('Enter');
    await redrawn();
    expect(await focusedControl()).toBe('recheck account2');
    expect(await sentOf('recheckAccount')).toBe(1);
  });

  test('a control whose request runs cannot be sent again, in a list drawn meanwhile either; once it ends it can', async () => {
    await page.evaluate(() => Object.assign(window, { holdFor: 'account2' }));
    await recheck('bob@example.net').click();
    const sent = await sentOf('recheckAccount');
    // Alice's look-up ends at once and draws the list again while Bob's still runs.
    await markDrawn();
    await recheck('alice@example.org').click();
    await redrawn();
    expect(await recheck('bob@example.net').getAttribute('aria-disabled')).toBe('true');
    // force: Playwright itself waits for an aria-disabled button to be enabled; a user can still press it.
    await recheck('bob@example.net').click({ force: true });
    expect(await sentOf('recheckAccount')).toBe(sent + 1);
    await markDrawn();
    await page.evaluate(() => (window as unknown as { release(): void }).release());
    await redrawn();
    expect(await recheck('bob@example.net').getAttribute('aria-disabled')).toBeNull();
  });

  test('the focus on a move drawn again disabled (its trust box unticked by the redraw) goes to the trust box', async () => {
    await page.evaluate(() => Object.assign(window, { holdFor: 'account1' }));
    await recheck('alice@example.org').click();
    await page.getByRole('checkbox', { name: 'I trust these servers (bob@example.net)' }).check();
    await page.getByRole('button', { name: /^Move to these unverified servers: .*\(bob@example\.net\)$/ }).click();
    expect(await focusedControl()).toBe('update account2');
    await markDrawn();
    await page.evaluate(() => (window as unknown as { release(): void }).release());
    await redrawn();
    expect(await focusedControl()).toBe('trust account2');
  });
});

describe('Chromium in French (no French messages)', () => {
  test('the page language is that of the messages shown (English), not the browser\'s', async () => {
    const extension = await launchWithExtension({ lang: 'fr', trust });
    try {
      const page = await extension.context.newPage();
      await page.goto(extension.url('popup/popup.html'));
      expect(await page.evaluate(() => (globalThis as unknown as { chrome: PageExtensionApi }).chrome.i18n.getUILanguage())).toMatch(/^fr/);
      expect(await page.textContent('#go')).toBe('Autoconfigure');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
    } finally {
      await extension.close();
    }
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
      expect(await page.getAttribute('html', 'lang')).toBe('ja');
      for (const scheme of SCHEMES) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: `${ARTIFACTS}/popup-ja-${scheme}.png`, fullPage: true });
      }
      await expectReadableThemes(page);
      await expectAccessible(page, 'popup ja, starttls result');
      // Natural Japanese: 「接続の最初から」, not a word-for-word "from the first byte"; 「・」 between items.
      await autoconfigure(page, 'taro@example.test');
      expect(await page.textContent('#badge')).toContain('受信・送信とも接続の最初から TLS で暗号化されます。');
      expect(await page.textContent('table.transport')).toMatch(/モード enforce・サーバー smtp\.example\.test・/);
      expect(await page.textContent('#status')).toMatch(/DNS 問い合わせ \d+ 件/);
      await expectAccessible(page, 'popup ja, tls result');
    } finally {
      await extension.close();
    }
  });

  test('axe: the account list in Japanese, light and dark', async () => {
    const { extension, page } = await openAccountList('ja');
    try {
      expect(await page.getByRole('button', { name: '接続できない場合: サーバーをもう一度調べる（alice@example.org）' }).count()).toBe(1);
      expect(await page.getAttribute('html', 'lang')).toBe('ja');
      await expectAccessible(page, 'popup ja, account list');
    } finally {
      await extension.close();
    }
  });
});

describe('Chromium: the settings before the verdict (the verdict held at the message boundary)', () => {
  /**
   * The popup with the real background after looking up alice@example.test, its settings on screen and its verdict
   * (discoverFinal) held until the page calls releaseFinal(); the page is told it may create accounts (as in
   * Thunderbird), so a Create button could show. The caller closes the extension.
   */
  async function settingsBeforeVerdict(extension: Awaited<ReturnType<typeof launchWithExtension>>) {
    await useTestResolver(extension);
    const page = await extension.context.newPage();
    await page.addInitScript(() => {
      const scope = globalThis as unknown as { browser?: PageExtensionApi; chrome?: PageExtensionApi };
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      Object.assign(window, { releaseFinal: () => release() });
      for (const api of [scope.browser, scope.chrome]) {
        if (api?.runtime === undefined) continue;
        const original = api.runtime.sendMessage.bind(api.runtime);
        Object.assign(api.runtime, {
          sendMessage: (message: { type: string }, ...rest: unknown[]) => {
            if (message.type === 'capabilities') return Promise.resolve({ createAccounts: true });
            if (message.type === 'listAccounts') return Promise.resolve({ accounts: [] });
            return message.type === 'discoverFinal' ? held.then(() => original(message, ...rest)) : original(message, ...rest);
          },
        });
      }
    });
    await page.goto(extension.url('popup/popup.html'));
    await page.fill('#address', 'alice@example.test');
    await page.click('#go');
    await page.waitForSelector('#settings table.settings', { timeout: 5000 });
    return page;
  }

  test('settings show while the checks run; copy, the confirmation, Create and "vouched for" wait for the verdict', async () => {
    const extension = await launchWithExtension({ trust });
    try {
      const page = await settingsBeforeVerdict(extension);
      const status = /^Settings for example\.test found in \d+ ms; still checking: MTA-STS, TLS-RPT, DANE\.$/;
      expect(await page.textContent('#status')).toMatch(status);
      expect(await page.textContent('#settings')).toContain('imap.example.test');
      expect(await page.textContent('#settings')).not.toContain('Vouched for');
      expect(await page.textContent('#badge .badge')).toBe('Checking the servers…');
      expect(await page.isDisabled('table.settings button.copy >> nth=0')).toBe(true);
      expect(await page.isHidden('#confirm')).toBe(true);
      expect(await page.isHidden('#create')).toBe(true);
      expect(await page.getAttribute('#result', 'aria-busy')).toBe('true');
      await page.evaluate(() => (window as unknown as { releaseFinal: () => void }).releaseFinal());
      await page.waitForFunction(() => !document.getElementById('result')?.hasAttribute('aria-busy'));
      expect(await page.textContent('#badge .badge')).toBe('Secure: TLS from the first byte, both ways');
      expect(await page.textContent('#settings')).toContain('Vouched for');
      expect(await page.textContent('#transport')).toContain('MTA-STS');
      expect(await page.isDisabled('table.settings button.copy >> nth=0')).toBe(false);
      expect(await page.isHidden('#create')).toBe(false);
    } finally {
      await extension.close();
    }
  });

  test('RFC 6186 §6: typing another address while the checks run withdraws the settings; the late verdict is not drawn', async () => {
    const extension = await launchWithExtension({ trust });
    try {
      const page = await settingsBeforeVerdict(extension);
      await page.fill('#address', 'bob@other.test');
      expect(await page.textContent('#settings')).toBe('');
      await page.evaluate(() => (window as unknown as { releaseFinal: () => void }).releaseFinal());
      await page.waitForFunction(() => !document.getElementById('result')?.hasAttribute('aria-busy'));
      expect(await page.textContent('#settings')).toBe('');
      expect(await page.textContent('#badge')).toBe('');
      expect(await page.isHidden('#create')).toBe(true);
    } finally {
      await extension.close();
    }
  });
});
