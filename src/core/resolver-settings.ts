// The user's DoH choice (options page) as data: presets, a checked custom URL, time-out, fallback.
import type { ResolverUrlReason } from './reasons.ts';

export interface ResolverPreset {
  readonly id: string;
  readonly name: string;
  readonly url: string;
}

/** Well-known public DoH services (RFC 8484 endpoints). */
export const RESOLVER_PRESETS: readonly ResolverPreset[] = [
  { id: 'cloudflare', name: 'Cloudflare (1.1.1.1)', url: 'https://cloudflare-dns.com/dns-query' },
  { id: 'google', name: 'Google Public DNS', url: 'https://dns.google/dns-query' },
  { id: 'quad9', name: 'Quad9', url: 'https://dns.quad9.net/dns-query' },
];

export const DEFAULT_TIMEOUT_MS = 5000;
export const MIN_TIMEOUT_MS = 500;
export const MAX_TIMEOUT_MS = 30000;

export interface ResolverSettings {
  /** A preset id, or 'custom'. */
  readonly choice: string;
  readonly customUrl: string;
  /** Try the other presets, in order, when the chosen resolver fails. */
  readonly fallback: boolean;
  readonly timeoutMs: number;
  /** Offer SRV settings in Thunderbird's own account set-up (on unless the user turns it off). */
  readonly useInAccountSetup: boolean;
}

export const DEFAULT_SETTINGS: ResolverSettings = {
  choice: 'cloudflare',
  customUrl: '',
  fallback: true,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  useInAccountSetup: true,
};

export type ResolverUrlResult = { ok: true; url: string } | { ok: false; reason: ResolverUrlReason };

// RFC 8484 §4.1: a resolver is published as a URI template (RFC 6570) whose one variable is "dns",
// `{?dns}` to start the query or `{&dns}` to continue one (RFC 6570 §3.2.8, §3.2.9).
const DNS_TEMPLATE = /^([^{}]*)\{([?&])dns\}$/;

/** The template expanded to the URL the DoH client adds `dns=` to; null for any other template. */
function expandTemplate(text: string): string | null {
  if (!/[{}]/.test(text)) return text;
  const match = DNS_TEMPLATE.exec(text);
  if (match === null) return null;
  const [, base = '', operator] = match;
  return (operator === '&') === base.includes('?') ? base : null;
}

/**
 * RFC 8484 §3: a DoH URI template is https; credentials and fragments have no place in it. The
 * template form is expanded (RFC 8484 §4.1); the URL returned is the one to use.
 * `parse` is the platform's URL parser (the core does not read globals).
 */
export function checkResolverUrl(text: string, parse: (text: string) => URL | null): ResolverUrlResult {
  const expanded = expandTemplate(text.trim());
  if (expanded === null) return { ok: false, reason: 'resolver-url-template' };
  const url = parse(expanded);
  if (url === null || url.hostname === '') return { ok: false, reason: 'resolver-url-invalid' };
  if (url.protocol !== 'https:') return { ok: false, reason: 'resolver-url-not-https' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'resolver-url-credentials' };
  if (url.hash !== '') return { ok: false, reason: 'resolver-url-fragment' };
  return { ok: true, url: url.href };
}

/** Stored settings come from storage.sync (maybe another version, maybe edited): read defensively. */
export function readSettings(value: unknown, parse: (text: string) => URL | null): ResolverSettings {
  const stored = typeof value === 'object' && value !== null ? (value as Partial<Record<keyof ResolverSettings, unknown>>) : {};
  const checked = typeof stored.customUrl === 'string' ? checkResolverUrl(stored.customUrl, parse) : null;
  const customUrl = checked?.ok === true ? checked.url : '';
  const known = RESOLVER_PRESETS.some((p) => p.id === stored.choice) || (stored.choice === 'custom' && customUrl !== '');
  const timeout =
    typeof stored.timeoutMs === 'number' && Number.isInteger(stored.timeoutMs) ? stored.timeoutMs : DEFAULT_SETTINGS.timeoutMs;
  return {
    choice: known ? (stored.choice as string) : DEFAULT_SETTINGS.choice,
    customUrl,
    fallback: typeof stored.fallback === 'boolean' ? stored.fallback : DEFAULT_SETTINGS.fallback,
    timeoutMs: Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, timeout)),
    useInAccountSetup: typeof stored.useInAccountSetup === 'boolean' ? stored.useInAccountSetup : DEFAULT_SETTINGS.useInAccountSetup,
  };
}

/** The resolvers to try, in order: the chosen one, then (with fallback) the other presets. */
export function resolverList(settings: ResolverSettings): string[] {
  const chosen = settings.choice === 'custom' ? settings.customUrl : RESOLVER_PRESETS.find((p) => p.id === settings.choice)?.url;
  const first = chosen === undefined || chosen === '' ? [] : [chosen];
  const rest = settings.fallback ? RESOLVER_PRESETS.map((p) => p.url).filter((u) => !first.includes(u)) : [];
  return [...first, ...rest];
}
