// Answers the popup's and options page's requests (src/protocol.ts) with the core.
import {
  discover,
  discoverWithCache,
  isCacheKey,
  lookup,
  parseAddress,
  readSettings,
  resolverList,
  type BadgeLevel,
  type DiscoveryOptions,
  type EmailAddress,
  type Platform,
  type ServerRef,
} from '../core/index.ts';
import {
  LAST_KEY, LAST_VERSION, type CreateStep, type DiscoverResponse, type LastLookup, type Request, type ResponseFor, type SettingsResponse,
} from '../protocol.ts';
import type { AccountsExperiment } from './accounts-experiment.ts';
import { parseUrl } from '../parse-url.ts';
import { loadAccountRequests } from './thunderbird-parts.ts';

export interface Deps {
  readonly platform: Platform & { readonly storage: NonNullable<Platform['storage']> };
  /** storage.sync where the browser has it (settings follow the user), else storage.local. */
  readonly settings: () => Promise<unknown>;
  readonly allKeys: () => Promise<string[]>;
  readonly showBadge: (response: DiscoverResponse) => Promise<void>;
  readonly showLevel: (level: BadgeLevel) => Promise<void>;
  readonly defaultAddress: () => Promise<string | null>;
  /** Thunderbird's account Experiment; null in Firefox and Chromium. */
  readonly accounts: AccountsExperiment | null;
  /** Tells the popup each step of creating an account as it happens. */
  readonly progress?: (step: CreateStep) => void;
  /** Whether Thunderbird's OAuth2 registry knows a server's host; absent outside Thunderbird. */
  readonly knowsOAuth2?: ((server: ServerRef) => Promise<boolean>) | undefined;
}

/** How long a finished lookup's verdict waits for its `discoverFinal` (a popup closed in between never asks). */
export const FINAL_KEPT_MS = 60_000;

export type Handler = <R extends Request>(request: R) => Promise<ResponseFor[R['type']]>;

type Handlers<T extends Request['type']> = { [K in T]: (request: Extract<Request, { type: K }>) => Promise<ResponseFor[K]> };

const ACCOUNT_REQUESTS = [
  'knowsOAuth2', 'probeAlternative', 'createAccount', 'cancelCreate', 'listAccounts', 'updateAccount', 'recheckAccount', 'accountCreated',
] as const;

/** The requests src/background/handle-account-requests.ts answers. */
export type AccountHandlers = Handlers<(typeof ACCOUNT_REQUESTS)[number]>;

const isAccountRequest = (request: Request): request is Extract<Request, { type: keyof AccountHandlers }> =>
  (ACCOUNT_REQUESTS as readonly string[]).includes(request.type);

/** Their answers where nothing of Thunderbird's is there (Chromium, Firefox): what the Thunderbird module would say. */
export const WITHOUT_THUNDERBIRD: AccountHandlers = {
  knowsOAuth2: async ({ servers }) => ({ known: servers.map(() => false) }),
  probeAlternative: async () => ({ setting: null }),
  createAccount: async () => ({ ok: false, reason: 'account-not-thunderbird' }),
  cancelCreate: async () => ({ cancelled: false }),
  listAccounts: async () => ({ accounts: [] }),
  updateAccount: async () => ({ ok: false, reason: 'account-not-thunderbird' }),
  recheckAccount: async () => null,
  accountCreated: async () => null,
};

export function createHandler(deps: Deps): Handler {
  const { platform } = deps;
  const options = async (transport = true): Promise<DiscoveryOptions> => {
    const settings = readSettings(await deps.settings(), parseUrl);
    return { resolvers: resolverList(settings), method: 'GET', timeoutMs: settings.timeoutMs, transport, probe: transport };
  };
  const lookUp = async (address: EmailAddress, transport = true) => discoverWithCache(address, await options(transport), platform);
  // Thunderbird's part is loaded on its first request (docs/performance.md#bundle-sizes).
  const thunderbird = deps.accounts !== null || deps.knowsOAuth2 !== undefined || platform.connect !== undefined;
  let accountHandlers: Promise<AccountHandlers> | null = null;
  const accounts = (): Promise<AccountHandlers> => {
    if (!thunderbird) return Promise.resolve(WITHOUT_THUNDERBIRD);
    // A chunk that failed to load is asked for again next time, not remembered as failed.
    accountHandlers ??= loadAccountRequests().then(
      (m) => m.accountHandlers({ deps, options, lookUp }),
      (error: unknown) => {
        accountHandlers = null;
        throw error;
      },
    );
    return accountHandlers;
  };
  /** Looks the address up, keeps the verdict as the last lookup and shows its badge; `early` gets the settings first. */
  const discoverAndKeep = async (input: string, fresh: boolean, early?: DiscoveryOptions['onSettings']): Promise<DiscoverResponse> => {
    const parsed = parseAddress(input, platform);
    let response: DiscoverResponse;
    if (!parsed.ok) {
      response = { ok: false, reason: parsed.reason };
    } else {
      const given = await options();
      const asked = early === undefined ? given : { ...given, onSettings: early };
      const discovery = fresh ? await discover(parsed.value, asked, platform) : await discoverWithCache(parsed.value, asked, platform);
      response = { ok: true, discovery };
    }
    const last: LastLookup = { version: LAST_VERSION, input, response };
    await platform.storage.set(LAST_KEY, last);
    await deps.showBadge(response);
    return response;
  };
  /** Verdicts of two-phase lookups whose first answer has gone out, until their `discoverFinal` (src/protocol.ts). */
  const finals = new Map<number, Promise<DiscoverResponse>>();
  let nextLookup = 1;
  const handlers: Handlers<Exclude<Request['type'], keyof AccountHandlers>> = {
    discover: ({ address: input, fresh }) => discoverAndKeep(input, fresh === true),
    // Two answers, one lookup: the settings when the SRV answers are in, the verdict (the same as `discover`) after.
    discoverSettings: async ({ address: input, fresh }): Promise<SettingsResponse> => {
      let early: ((settings: Omit<Extract<SettingsResponse, { final: false }>, 'final' | 'lookup'>) => void) | undefined;
      const settings = new Promise<Parameters<NonNullable<typeof early>>[0]>((resolve) => (early = resolve));
      // The rest of the lookup (TLSA, the probes) resumes in the next task, once this answer has gone out to the popup.
      const final = discoverAndKeep(input, fresh === true, (discovery, pending) => {
        early?.({ discovery, pending });
        return new Promise((resume) => setTimeout(resume, 0));
      });
      const first = await Promise.race([final.then((response) => ({ response })), settings]);
      if ('response' in first) return { final: true, response: first.response };
      const lookup = nextLookup++;
      finals.set(lookup, final);
      // A bug in the rest of the lookup reaches the popup through discoverFinal; unasked, it is dropped with the entry.
      void final.catch(() => undefined).finally(() => setTimeout(() => finals.delete(lookup), FINAL_KEPT_MS));
      return { final: false, ...first, lookup };
    },
    discoverFinal: async ({ lookup }) => {
      const final = finals.get(lookup);
      finals.delete(lookup);
      return final ?? null;
    },
    defaultAddress: () => deps.defaultAddress(),
    capabilities: async () => ({ createAccounts: deps.accounts !== null }),
    // One query for a name every resolver answers itself (RFC 6761 §6.3: localhost), to the chosen resolver
    // only: its TCP, TLS and HTTP/2 set-up happens while the user types, and nothing about the user is sent.
    preconnect: async () => {
      const settings = await options(false);
      const [resolver] = settings.resolvers;
      if (resolver === undefined) return { resolver: null };
      await lookup({ name: 'localhost', type: 'A' }, { ...settings, resolvers: [resolver] }, platform);
      return { resolver };
    },
    clearCache: async () => {
      const keys = (await deps.allKeys()).filter((k) => isCacheKey(k) || k === LAST_KEY);
      for (const key of keys) await platform.storage.remove(key);
      return { cleared: keys.length };
    },
  };
  return (async (request: Request) => {
    const table = (isAccountRequest(request) ? await accounts() : handlers) as Record<string, (r: Request) => Promise<unknown>>;
    return table[request.type]!(request);
  }) as Handler;
}
