// The one typed protocol between the popup/options pages and the background (house style 11).
import type { AccountReason, AddressReason, BadgeLevel, Discovery, WeaknessReason } from './core/index.ts';

/** The storage key of the options page's ResolverSettings (storage.sync where there is one). */
export const SETTINGS_KEY = 'settings';

/** storage.local key of the last lookup ({input, response}): the popup reads it directly when it opens. */
export const LAST_KEY = 'last';

export type Request =
  | { readonly type: 'discover'; readonly address: string; readonly fresh?: boolean }
  | { readonly type: 'defaultAddress' }
  | { readonly type: 'clearCache' }
  | { readonly type: 'capabilities' }
  | {
      readonly type: 'createAccount';
      readonly address: string;
      readonly displayName?: string;
      /** With a password, the usernames are tried (RFC 6186 §4) before anything is created. */
      readonly password?: string;
      readonly remember?: boolean;
      /** The user ticked "I trust this configuration" for an `unverified` result (RFC 6186 §6). */
      readonly confirmed?: boolean;
    }
  | { readonly type: 'listAccounts' }
  /** Move a weaker account to the published settings; only with the user's confirmation. */
  | { readonly type: 'updateAccount'; readonly accountId: string; readonly confirmed: boolean }
  /** The user says the account fails to connect or log in: RFC 6186 §4 re-lookup of its protocol. */
  | { readonly type: 'recheckAccount'; readonly accountId: string }
  /** From the background's own accounts.onCreated listener: check the new account, set the badge. */
  | { readonly type: 'accountCreated'; readonly accountId: string };

/** What a discover request gives back: a Discovery, or why the address was refused. */
export type DiscoverResponse =
  | { readonly ok: true; readonly discovery: Discovery }
  | { readonly ok: false; readonly reason: AddressReason };

export interface ResponseFor {
  discover: DiscoverResponse;
  /** Thunderbird's default identity's address, when there is one. */
  defaultAddress: string | null;
  clearCache: { readonly cleared: number };
  /** Account creation needs Thunderbird and its Experiment. */
  capabilities: { readonly createAccounts: boolean };
  createAccount:
    | { readonly ok: true; readonly accountId: string; readonly username: string }
    | { readonly ok: false; readonly reason: AccountReason | AddressReason };
  listAccounts: { readonly accounts: readonly AccountReport[] };
  accountCreated: AccountReport | null;
  recheckAccount: AccountReport | null;
  updateAccount: { readonly ok: true; readonly account: AccountReport } | { readonly ok: false; readonly reason: AccountReason };
}

export interface AccountReport {
  readonly accountId: string;
  readonly address: string;
  readonly incoming: { readonly protocol: string; readonly hostname: string; readonly port: number; readonly security: string; readonly username: string };
  readonly outgoing: { readonly protocol: string; readonly hostname: string; readonly port: number; readonly security: string; readonly username: string } | null;
  /** Where the account is weaker than what the domain publishes; empty when it matches or nothing is published. */
  readonly weaknesses: readonly WeaknessReason[];
  /** The badge the domain's SRV data gives, or null when the lookup found nothing. */
  readonly badge: BadgeLevel | null;
  /** What updating would set, when the account is weaker than what is published. */
  readonly proposal: { readonly incoming: ProposedServer | null; readonly outgoing: ProposedServer | null } | null;
}

export interface ProposedServer {
  readonly hostname: string;
  readonly port: number;
  readonly security: 'tls' | 'starttls';
}

export const isRequest = (value: unknown): value is Request =>
  typeof value === 'object' && value !== null && ['discover', 'defaultAddress', 'clearCache', 'capabilities', 'createAccount', 'listAccounts', 'accountCreated', 'updateAccount', 'recheckAccount'].includes((value as { type?: unknown }).type as string);

/** What the background keeps under LAST_KEY. */
export interface LastLookup {
  readonly input: string;
  readonly response: DiscoverResponse;
}
