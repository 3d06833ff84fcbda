// The one typed protocol between the popup/options pages and the background (docs/architecture.md#conventions).
import type {
  AccountReason, AddressReason, Badge, BadgeLevel, Discovery, Pending, ServerRef, Setting, ShownAccount, WeaknessReason,
} from './core/index.ts';

/** The storage key of the options page's ResolverSettings (storage.sync where there is one). */
export const SETTINGS_KEY = 'settings';

/** storage.local key of the last lookup ({input, response}): the popup reads it directly when it opens. */
export const LAST_KEY = 'last';

export type Request =
  | { readonly type: 'discover'; readonly address: string; readonly fresh?: boolean }
  /**
   * The same lookup in two answers (docs/performance.md#two-phases): this one as soon as the SRV answers have chosen the
   * settings, `discoverFinal` with the verdict. One lookup: the final is the one `discover` would have given.
   */
  | { readonly type: 'discoverSettings'; readonly address: string; readonly fresh?: boolean }
  | { readonly type: 'discoverFinal'; readonly lookup: number }
  | { readonly type: 'defaultAddress' }
  | { readonly type: 'clearCache' }
  | { readonly type: 'capabilities' }
  /** On request, the server probe of one alternative the popup showed for `address` (RFC 6186 §6). */
  | { readonly type: 'probeAlternative'; readonly address: string; readonly server: ServerRef }
  /** Whether Thunderbird knows each server's OAuth2 provider (RFC 7628: a host that takes only OAuth2). */
  | { readonly type: 'knowsOAuth2'; readonly servers: readonly ServerRef[] }
  | {
      readonly type: 'createAccount';
      /** Exactly what the popup showed: the account is made with these servers or not at all. */
      readonly shown: ShownAccount;
      /** The user ticked "I trust this configuration" for the servers shown (RFC 6186 §6). */
      readonly trusted: boolean;
      readonly displayName?: string;
      /** With a password, the usernames are tried (RFC 6186 §4) before anything is created. */
      readonly password?: string;
      readonly remember?: boolean;
    }
  /** The user pressed Cancel while the account was being created: no further login, nothing created. */
  | { readonly type: 'cancelCreate' }
  | { readonly type: 'listAccounts' }
  /**
   * Move an account to the servers shown in its row: only after the confirming second click, and for
   * servers nothing vouches for only when the user also trusted exactly those (RFC 6186 §6).
   */
  | {
      readonly type: 'updateAccount';
      readonly accountId: string;
      readonly shown: { readonly incoming: ServerRef | null; readonly outgoing: ServerRef | null };
      readonly confirmed: boolean;
      readonly trusted: boolean;
    }
  /** The user says the account fails to connect or log in: RFC 6186 §4 re-lookup of its protocol. */
  | { readonly type: 'recheckAccount'; readonly accountId: string }
  /** From the background's own accounts.onCreated listener: check the new account, set the badge. */
  | { readonly type: 'accountCreated'; readonly accountId: string }
  /** The popup was shown: open the resolver connection while the user types (docs/performance.md). */
  | { readonly type: 'preconnect' };

/** What a discover request gives back: a Discovery, or why the address was refused. */
export type DiscoverResponse =
  | { readonly ok: true; readonly discovery: Discovery }
  | { readonly ok: false; readonly reason: AddressReason };

/**
 * The first answer of a two-phase lookup. `final: false` carries the settings only: it vouches for nothing, and
 * nothing may be created, moved or called verified from it (RFC 6186 §6) — the verdict comes with `discoverFinal`.
 */
export type SettingsResponse =
  | { readonly final: true; readonly response: DiscoverResponse }
  | { readonly final: false; readonly discovery: Discovery; readonly pending: readonly Pending[]; readonly lookup: number };

export interface ResponseFor {
  discover: DiscoverResponse;
  discoverSettings: SettingsResponse;
  /** null: no such lookup in flight (the background restarted): ask `discover` again. */
  discoverFinal: DiscoverResponse | null;
  /** Thunderbird's default identity's address, when there is one. */
  defaultAddress: string | null;
  clearCache: { readonly cleared: number };
  /** Account creation needs Thunderbird and its Experiment. */
  capabilities: { readonly createAccounts: boolean };
  knowsOAuth2: { readonly known: readonly boolean[] };
  /** The alternative with its probe and vouchers; null when the address is refused or the server is no longer published. */
  probeAlternative: { readonly setting: Setting | null };
  createAccount:
    | { readonly ok: true; readonly accountId: string; readonly username: string }
    | { readonly ok: false; readonly reason: AccountReason | AddressReason };
  /** Whether a creation was under way to cancel. */
  cancelCreate: { readonly cancelled: boolean };
  listAccounts: { readonly accounts: readonly AccountReport[] };
  accountCreated: AccountReport | null;
  recheckAccount: AccountReport | null;
  updateAccount: { readonly ok: true; readonly account: AccountReport } | { readonly ok: false; readonly reason: AccountReason };
  /** The resolver whose connection was warmed. */
  preconnect: { readonly resolver: string | null };
}

export interface AccountReport {
  readonly accountId: string;
  readonly address: string;
  readonly incoming: {
    readonly protocol: string;
    readonly hostname: string;
    readonly port: number;
    readonly security: string;
    readonly username: string;
  };
  readonly outgoing: {
    readonly protocol: string;
    readonly hostname: string;
    readonly port: number;
    readonly security: string;
    readonly username: string;
  } | null;
  /** Where the account is weaker than what the domain publishes with something vouching for it. */
  readonly weaknesses: readonly WeaknessReason[];
  /** The level the account's own servers get (the badge rules). */
  readonly level: BadgeLevel;
  /** The badge of what the domain publishes, with its reasons; null when the lookup found nothing. */
  readonly published: Badge | null;
  /** Servers the account could move to; `verified` false = nothing vouches for them, the user must trust them. */
  readonly proposal: { readonly incoming: ServerRef | null; readonly outgoing: ServerRef | null; readonly verified: boolean } | null;
  /** The domain's settings came from the cache (RFC 6186 §4: reused until their TTL runs out). */
  readonly fromCache: boolean;
}

/** A step of creating an account, as it happens (RFC 6186 §4: each username tried in turn), for the popup's status line. */
export type CreateStep =
  | { readonly step: 'trying' | 'refused'; readonly username: string }
  | { readonly step: 'creating'; readonly username: string };

/** The background's message to the popup while createAccount runs (text only: the popup renders it with textContent). */
export interface CreateProgress {
  readonly type: 'createProgress';
  readonly progress: CreateStep;
}

export const isCreateProgress = (value: unknown): value is CreateProgress =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'createProgress'
  && typeof (value as { progress?: { username?: unknown } }).progress?.username === 'string';

export const isRequest = (value: unknown): value is Request =>
  typeof value === 'object' && value !== null && [
    'discover', 'discoverSettings', 'discoverFinal', 'defaultAddress', 'clearCache', 'capabilities', 'knowsOAuth2', 'probeAlternative',
    'createAccount', 'cancelCreate', 'listAccounts', 'accountCreated', 'updateAccount', 'recheckAccount', 'preconnect',
  ].includes((value as { type?: unknown }).type as string);

/** Bumped whenever Discovery changes shape, so an upgrade never renders a stored result of the old one. */
export const LAST_VERSION = 2;

/** What the background keeps under LAST_KEY. */
export interface LastLookup {
  readonly version: typeof LAST_VERSION;
  readonly input: string;
  readonly response: DiscoverResponse;
}
