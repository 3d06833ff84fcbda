// The one typed protocol between the popup/options pages and the background (house style 11).
import type { AddressReason, Discovery } from './core/index.ts';

/** The storage key of the options page's ResolverSettings (storage.sync where there is one). */
export const SETTINGS_KEY = 'settings';

/** storage.local key of the last lookup ({input, response}): the popup reads it directly when it opens. */
export const LAST_KEY = 'last';

export type Request =
  | { readonly type: 'discover'; readonly address: string; readonly fresh?: boolean }
  | { readonly type: 'defaultAddress' }
  | { readonly type: 'clearCache' };

/** What a discover request gives back: a Discovery, or why the address was refused. */
export type DiscoverResponse =
  | { readonly ok: true; readonly discovery: Discovery }
  | { readonly ok: false; readonly reason: AddressReason };

export interface ResponseFor {
  discover: DiscoverResponse;
  /** Thunderbird's default identity's address, when there is one. */
  defaultAddress: string | null;
  clearCache: { readonly cleared: number };
}

export const isRequest = (value: unknown): value is Request =>
  typeof value === 'object' && value !== null && ['discover', 'defaultAddress', 'clearCache'].includes((value as { type?: unknown }).type as string);

/** What the background keeps under LAST_KEY. */
export interface LastLookup {
  readonly input: string;
  readonly response: DiscoverResponse;
}
