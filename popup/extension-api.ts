// Text for the pages: messages from _locales through the one `browser` API (src/browser-api.ts).
import { browser } from '../src/browser-api.ts';

export const api = browser;

/** A message from _locales; a missing one shows its name, so a gap is visible, not blank. */
export function t(name: string, ...substitutions: (string | number)[]): string {
  return api.i18n.getMessage(name, substitutions.map(String)) || name;
}

/**
 * Fills every [data-i18n] element's text (never markup) and the page language: that of the messages
 * shown (each locale's `lang` message), not the browser's — a French browser gets the English messages.
 */
export function localize(root: ParentNode & { documentElement?: HTMLElement }): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) element.textContent = t(element.dataset.i18n ?? '');
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-aria]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nAria ?? ''));
  }
  if (root.documentElement !== undefined) root.documentElement.lang = t('lang');
}

/** `address-missing-at` → the text of `reason_address_missing_at`. */
export const reasonText = (reason: string): string => t(`reason_${reason.replaceAll('-', '_')}`);
