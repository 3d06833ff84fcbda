// The one typed protocol between the popup/options pages and the background (house style 11).
import type { AddressReason, Discovery } from './core/index.ts';

/** The storage key of the options page's ResolverSettings (storage.sync where there is one). */
export const SETTINGS_KEY = 'settings';

export type Request =
  | { readonly type: 'discover'; readonly address: string; readonly fresh?: boolean }
  | { readonly type: 'last' }
  | { readonly type: 'defaultAddress' }
  | { readonly type: 'clearCache' };

/** What a discover request gives back: a Discovery, or why the address was refused. */
export type DiscoverResponse =
  | { readonly ok: true; readonly discovery: Discovery }
  | { readonly ok: false; readonly reason: AddressReason };

export interface ResponseFor {
  discover: DiscoverResponse;
  /** The last result, for showing at once when the popup opens again. */
  last: { readonly input: string; readonly response: DiscoverResponse } | null;
  /** Thunderbird's default identity's address, when there is one. */
  defaultAddress: string | null;
  clearCache: { readonly cleared: number };
}

export const isRequest = (value: unknown): value is Request =>
  typeof value === 'object' && value !== null && ['discover', 'last', 'defaultAddress', 'clearCache'].includes((value as { type?: unknown }).type as string);
