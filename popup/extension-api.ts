// The few extension APIs the pages use, from `browser` (Gecko, Chromium 156) or `chrome` (MV3 promises).
// No polyfill here: it would double the popup bundle, and every target has promise-based APIs.

export interface StorageArea {
  get(key: string | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface PageApi {
  readonly runtime: { sendMessage(message: unknown): Promise<unknown>; openOptionsPage(): Promise<void> };
  readonly i18n: { getMessage(name: string, substitutions?: string | string[]): string; getUILanguage(): string };
  readonly storage: { readonly sync?: StorageArea; readonly local: StorageArea };
}

const scope = globalThis as { browser?: PageApi; chrome?: PageApi };
export const api: PageApi = (scope.browser ?? scope.chrome) as PageApi;

/** A message from _locales; a missing one shows its name, so a gap is visible, not blank. */
export function t(name: string, ...substitutions: (string | number)[]): string {
  return api.i18n.getMessage(name, substitutions.map(String)) || name;
}

/** Fills every [data-i18n] element's text (never markup) and the page language. */
export function localize(root: ParentNode & { documentElement?: HTMLElement }): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) element.textContent = t(element.dataset.i18n ?? '');
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-aria]')) element.setAttribute('aria-label', t(element.dataset.i18nAria ?? ''));
  if (root.documentElement !== undefined) root.documentElement.lang = api.i18n.getUILanguage();
}

/** `address-missing-at` → the text of `reason_address_missing_at`. */
export const reasonText = (reason: string): string => t(`reason_${reason.replaceAll('-', '_')}`);
