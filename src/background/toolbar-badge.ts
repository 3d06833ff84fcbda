// The toolbar button's badge for the last lookup (levels: docs/badge.md), text from _locales.
import type { BadgeLevel } from '../core/index.ts';
import type { Browser } from '../browser-api.ts';

// Colours that keep white text readable (WCAG AA) on light and dark toolbars alike.
export const BADGE_COLOURS: Record<BadgeLevel, string> = {
  tls: '#1a7f37',
  starttls: '#9a6700',
  unverified: '#cf222e',
  none: '#57606a',
};

export async function setToolbarBadge(browser: Browser, level: BadgeLevel | null): Promise<void> {
  const text = level === null ? '' : browser.i18n.getMessage(`badgeText_${level}`);
  const title = level === null ? browser.i18n.getMessage('actionTitle') : browser.i18n.getMessage(`badgeTitle_${level}`);
  await browser.action.setBadgeText({ text });
  await browser.action.setTitle({ title });
  if (level !== null) await browser.action.setBadgeBackgroundColor({ color: BADGE_COLOURS[level] });
}
