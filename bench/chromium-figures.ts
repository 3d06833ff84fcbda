// Chromium with the add-on loaded (test/support/chromium.ts): the add-on's own click → settings on screen, where
// the time goes (the background's Resource Timing), the popup's open time, and the page-side clients side by side.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import packet from 'dns-packet';
import type { Page } from 'playwright-core';
import { launchWithExtension, type LoadedExtension } from '../test/support/chromium.ts';
import { ADDRESS } from './node-figures.ts';
import type { BenchNetwork } from './setup.ts';
import { repeat, sleep, stats, type Stats } from './timing.ts';

/** The extension pages' own API, used inside page.evaluate (not typed by the project's tsconfig). */
declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> }; action: { openPopup(): Promise<void> } };

export const BROWSER_RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 12);
/** The page-side clients, read when the bench starts Chromium: dist/bench-clients.js exists only after bench/run.mjs built it. */
function pageClients(): string[] {
  const dohjs = createRequire(import.meta.url).resolve('dohjs/dist/doh.min.js');
  return [readFileSync(dohjs, 'utf8'), readFileSync('dist/bench-clients.js', 'utf8')];
}

/**
 * One click, as epoch ms: the click on Autoconfigure, the settings in the page and the frame that shows them, the popup's
 * own User Timing marks (asked the background, its first answer in, the whole verdict in), and the verdict on screen.
 */
interface Click {
  readonly clicked: number;
  readonly inserted: number;
  readonly painted: number;
  readonly asked: number;
  readonly answered: number;
  readonly final: number;
}

/** Where one lookup's time went, from the background's Resource Timing: ms after the click. */
interface Phases {
  readonly firstRequest: number;
  readonly srvAnswered: number;
  readonly dnsAnswered: number;
  readonly policyFetched: number;
}

export interface ClickFigures {
  /** Click → settings on screen (the target's figure). */
  readonly total: Stats;
  readonly inserted: Stats;
  /** Click → the whole verdict on screen (MTA-STS, TLS-RPT, DANE, and the probe where there is one). */
  readonly final: Stats;
  /** Click → the popup's request left; click → the background's first answer in the page. */
  readonly asked: Stats;
  readonly answered: Stats;
  readonly phases: { [K in keyof Phases]: Stats };
}

export interface ChromiumRow {
  readonly rtt: number;
  /** A new popup, connections closed before it opened: its preconnect runs while "the user types". */
  readonly first: ClickFigures;
  /** The same popup again (the cache emptied, the connections warm). */
  readonly warm: ClickFigures;
  /** A new popup whose connections are closed after the preconnect: what the preconnect saves. */
  readonly cold: ClickFigures;
  readonly ours: Stats;
  readonly sequential: Stats;
  readonly dohjs: Stats;
}

export interface PopupOpen { readonly where: string; readonly fromOpen: Stats; readonly fromScript: Stats }

export interface ChromiumBench {
  figures(rtt: number): Promise<ChromiumRow>;
  popupOpen(): Promise<PopupOpen>;
  close(): Promise<void>;
}

export async function startChromiumBench(net: BenchNetwork): Promise<ChromiumBench> {
  const extension = await launchWithExtension({ trust: net.serverPems });
  try {
    const control = await extension.context.newPage();
    await control.goto(extension.url('popup/options.html'));
    await control.waitForFunction(() => !(document.getElementById('save') as HTMLButtonElement).disabled);
    await control.check('#choice-custom');
    await control.fill('#custom-url', net.doh);
    await control.uncheck('#fallback');
    await control.click('#save');
    await control.waitForFunction(() => document.getElementById('saved')?.textContent !== '');
    for (const script of pageClients()) await control.evaluate(script);
    let closing: Promise<void> | undefined;
    return {
      figures: (rtt) => figures(extension, control, net, rtt),
      popupOpen: () => popupOpen(extension, control),
      close: () => (closing ??= extension.close()),
    };
  } catch (error) {
    await extension.close();
    throw error;
  }
}

const clearCache = (control: Page): Promise<unknown> => control.evaluate(() => chrome.runtime.sendMessage({ type: 'clearCache' }));

async function figures(extension: LoadedExtension, control: Page, net: BenchNetwork, rtt: number): Promise<ChromiumRow> {
  // Long enough for a person to type an address, and for TCP + TLS + the preconnect's query.
  const typing = 300 + 4 * rtt;
  const popup = await extension.context.newPage();
  await popup.goto(extension.url('popup/popup.html'));
  await popup.fill('#address', ADDRESS);
  await clearCache(control);
  await lookUp(extension, popup); // warm-up: the resolver and the policy host connected
  const warm = await repeat(BROWSER_RUNS, async () => {
    await clearCache(control);
    return lookUp(extension, popup);
  });
  await popup.close();
  const fresh = async (dropAfterOpen: boolean) => {
    await clearCache(control);
    if (!dropAfterOpen) net.dropConnections();
    const page = await extension.context.newPage();
    await page.goto(extension.url('popup/popup.html'));
    await sleep(typing);
    if (dropAfterOpen) net.dropConnections();
    await page.fill('#address', ADDRESS);
    const click = await lookUp(extension, page);
    await page.close();
    return click;
  };
  const first = await repeat(BROWSER_RUNS, () => fresh(false));
  const cold = await repeat(BROWSER_RUNS, () => fresh(true));
  // The page-side clients, each warmed up once on the kept-alive connection.
  const client = (name: 'ours' | 'sequential' | 'dohjs') => async (): Promise<number> => {
    const arg = name === 'ours' ? ADDRESS : 'example.test';
    const run = ([n, url, a]: readonly ['ours' | 'sequential' | 'dohjs', string, string]): Promise<number> =>
      (globalThis as unknown as BenchClients).benchClients[n](url, a);
    return control.evaluate(run, [name, net.doh, arg] as const);
  };
  const peers: Record<string, number[]> = {};
  for (const name of ['ours', 'sequential', 'dohjs'] as const) {
    await client(name)();
    peers[name] = await repeat(BROWSER_RUNS, client(name));
  }
  return {
    rtt, first: summarise(first), warm: summarise(warm), cold: summarise(cold),
    ours: stats(peers.ours ?? []), sequential: stats(peers.sequential ?? []), dohjs: stats(peers.dohjs ?? []),
  };
}

interface BenchClients { benchClients: Record<'ours' | 'sequential' | 'dohjs', (url: string, arg: string) => Promise<number>> }

type Measured = Click & Phases;

function summarise(runs: readonly Measured[]): ClickFigures {
  const of = (f: (m: Measured) => number): Stats => stats(runs.map(f));
  return {
    total: of((m) => m.painted - m.clicked),
    inserted: of((m) => m.inserted - m.clicked),
    final: of((m) => m.final - m.clicked),
    asked: of((m) => m.asked - m.clicked),
    answered: of((m) => m.answered - m.clicked),
    phases: {
      firstRequest: of((m) => m.firstRequest),
      srvAnswered: of((m) => m.srvAnswered),
      dnsAnswered: of((m) => m.dnsAnswered),
      policyFetched: of((m) => m.policyFetched),
    },
  };
}

/** Clicks Autoconfigure on `page` and times it to the frame that shows the settings; the background's requests say why. */
async function lookUp(extension: LoadedExtension, page: Page): Promise<Measured> {
  // An MV3 service worker stops after 30 s idle (the Node figures run in between) and a new one starts on the next
  // message: ask the newest, and never wait on one that is gone — its timings are then missing (NaN), not the run.
  const worker = extension.context.serviceWorkers().at(-1);
  const within = <T>(work: Promise<T> | undefined): Promise<T | undefined> =>
    Promise.race([work?.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(resolve, 3000))]);
  await within(worker?.evaluate(() => performance.clearResourceTimings()));
  await page.bringToFront();
  const measured = page.evaluate(() => new Promise<Click>((resolve) => {
    let clicked = 0;
    performance.clearMarks();
    addEventListener('click', () => { clicked = performance.now(); }, { capture: true, once: true });
    const settings = document.getElementById('settings') as HTMLElement;
    const result = document.getElementById('result') as HTMLElement;
    const epoch = (t: number | undefined): number => (t === undefined ? NaN : performance.timeOrigin + t);
    const mark = (name: string): number => epoch(performance.getEntriesByName(name).at(-1)?.startTime);
    // On screen: the next frame after the change entered the page.
    const nextFrame = (): Promise<number> =>
      new Promise((done) => requestAnimationFrame(() => setTimeout(() => done(epoch(performance.now())))));
    let shown: { inserted: number; painted: Promise<number> } | undefined;
    new MutationObserver((_, observer) => {
      if (clicked === 0) return;
      if (shown === undefined && settings.childElementCount > 0) shown = { inserted: epoch(performance.now()), painted: nextFrame() };
      // The verdict is in once the result is no longer busy (the popup's aria-busy).
      if (shown === undefined || result.hasAttribute('aria-busy')) return;
      observer.disconnect();
      const { inserted, painted } = shown;
      void Promise.all([painted, nextFrame()]).then(([p, final]) => resolve({
        clicked: epoch(clicked), inserted, painted: p, final, asked: mark('popup:asked'), answered: mark('popup:answered'),
      }));
    }).observe(result, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
  }));
  await page.click('#go');
  const click = await Promise.race([measured, new Promise<never>((_, reject) => setTimeout(() => {
    reject(new Error('the add-on showed no settings within 20 s of the click'));
  }, 20000))]);
  const requests = await within(extension.context.serviceWorkers().at(-1)?.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .map((e) => ({ url: e.name, start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd })))) ?? [];
  const kind = (url: string): string => {
    const query = new URL(url).searchParams.get('dns');
    if (query === null) return url.includes('mta-sts') ? 'policy' : 'other';
    return packet.decode(Buffer.from(query, 'base64url')).questions?.[0]?.type ?? 'other';
  };
  const after = (list: typeof requests, pick: (r: (typeof requests)[number]) => number): number =>
    list.length === 0 ? NaN : Math.max(...list.map(pick)) - click.clicked;
  const typed = requests.map((r) => ({ ...r, kind: kind(r.url) })).filter((r) => r.start >= click.clicked);
  const dns = typed.filter((r) => r.kind !== 'policy' && r.kind !== 'other');
  return {
    ...click,
    firstRequest: typed.length === 0 ? NaN : Math.min(...typed.map((r) => r.start)) - click.clicked,
    srvAnswered: after(dns.filter((r) => r.kind === 'SRV'), (r) => r.end),
    dnsAnswered: after(dns, (r) => r.end),
    policyFetched: after(typed.filter((r) => r.kind === 'policy'), (r) => r.end),
  };
}

/**
 * The popup showing a cached result: the toolbar popup where Chromium opens it for us (chrome.action.openPopup),
 * else the same page in a tab. The popup's User Timing marks count from its navigation start.
 */
async function popupOpen(extension: LoadedExtension, control: Page): Promise<PopupOpen> {
  const page = await extension.context.newPage();
  await page.goto(extension.url('popup/popup.html'));
  await page.fill('#address', ADDRESS);
  await page.click('#go');
  await page.waitForSelector('#badge .badge:not(.badge-checking)', { timeout: 20000 }); // the verdict, kept as the last lookup
  await page.close();
  const marks = async (p: Page): Promise<[number, number]> => p.waitForFunction(() => {
    const mark = (name: string): number | undefined => performance.getEntriesByName(name)[0]?.startTime;
    return mark('popup:shown') !== undefined && [mark('popup:start'), mark('popup:shown')];
  }).then((h) => h.jsonValue() as Promise<[number, number]>);
  const toolbar = await control.evaluate(() => chrome.action.openPopup().then(() => true, (e: unknown) => String(e)));
  const fromOpen: number[] = [];
  const fromScript: number[] = [];
  let where = 'Chromium, the popup page in a tab: chrome.action.openPopup() resolved headless but opened no popup page';
  if (toolbar === true) {
    const opened = extension.context.pages().find((p) => p.url().endsWith('popup/popup.html'))
      ?? await extension.context.waitForEvent('page', { timeout: 3000 }).catch(() => null);
    if (opened !== null) where = 'Chromium, the toolbar popup (chrome.action.openPopup)';
    await opened?.close();
  } else {
    where = `Chromium, the popup page in a tab: chrome.action.openPopup() refused (${toolbar})`;
  }
  for (let i = 0; i < BROWSER_RUNS * 2; i++) {
    let again: Page;
    if (where.startsWith('the toolbar')) {
      const next = extension.context.waitForEvent('page');
      await control.evaluate(() => chrome.action.openPopup());
      again = await next;
    } else {
      again = await extension.context.newPage();
      await again.goto(extension.url('popup/popup.html'));
    }
    const [start, shown] = await marks(again);
    fromOpen.push(shown);
    fromScript.push(shown - start);
    await again.close();
  }
  process.stdout.write('.');
  return { where, fromOpen: stats(fromOpen), fromScript: stats(fromScript) };
}
