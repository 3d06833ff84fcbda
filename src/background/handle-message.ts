// Answers the popup's and options page's requests (src/protocol.ts) with the core.
import {
  accountLevel, assessServer, chooseLogin, isCacheKey, lookup, matchShown, proposeUpdate, relookup, discover, discoverWithCache, parseAddress, planAccount,
  oauth2OnlyHosts, probeAlternatives, readSettings, resolverList, sameServer, serverRef, serverSettings,
  type AccountReason, type BadgeLevel, type Discovery, type DiscoveryOptions, type EmailAddress, type Platform, type ServerRef, type Setting,
} from '../core/index.ts';
import { LAST_KEY, LAST_VERSION, type AccountReport, type DiscoverResponse, type LastLookup, type Request, type ResponseFor } from '../protocol.ts';
import type { AccountsExperiment, ExistingAccount } from './accounts-experiment.ts';
import { parseUrl } from '../parse-url.ts';


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
  /** Whether Thunderbird's OAuth2 registry knows a server's host; absent outside Thunderbird. */
  readonly knowsOAuth2?: ((server: ServerRef) => Promise<boolean>) | undefined;
}

/** How long the account list leaves a domain that published nothing before asking it again. */
export const EMPTY_DOMAIN_RECHECK_MS = 5 * 60_000;

export type Handler = <R extends Request>(request: R) => Promise<ResponseFor[R['type']]>;

export function createHandler(deps: Deps): Handler {
  const { platform } = deps;
  const options = async (transport = true): Promise<DiscoveryOptions> => {
    const settings = readSettings(await deps.settings(), parseUrl);
    return { resolvers: resolverList(settings), method: 'GET', timeoutMs: settings.timeoutMs, transport, probe: transport };
  };
  const lookUp = async (address: EmailAddress, transport = true) => discoverWithCache(address, await options(transport), platform);
  /** An existing account against what its domain publishes (the same lookup the popup makes). */
  const findAccount = async (accountId: string): Promise<ExistingAccount | undefined> =>
    (await deps.accounts?.list())?.find((a) => a.accountId === accountId);
  // The account list needs no MTA-STS, TLS-RPT or DANE: those are asked only by a lookup the user starts.
  const discoveryOf = async (account: ExistingAccount): Promise<Discovery | null> => {
    const parsed = parseAddress(account.address, platform);
    return parsed.ok ? lookUp(parsed.value, false) : null;
  };
  // Domains of accounts that published nothing (not cached by the core): not asked on every popup open.
  const emptyUntil = new Map<string, number>();
  const listedDiscovery = async (account: ExistingAccount, domain: string): Promise<Discovery | null> => {
    if ((emptyUntil.get(domain) ?? 0) > platform.now()) return null;
    const discovery = await discoveryOf(account);
    if (discovery?.status === 'not-published') emptyUntil.set(domain, platform.now() + EMPTY_DOMAIN_RECHECK_MS);
    return discovery;
  };
  const report = async (account: ExistingAccount, known?: Discovery | null): Promise<AccountReport> => {
    const discovery = known === undefined ? await discoveryOf(account) : known;
    const found = discovery !== null && discovery.status === 'found';
    const servers = [account.incoming, ...(account.outgoing === null ? [] : [account.outgoing])];
    const proposal = found ? proposeUpdate(account.incoming, account.outgoing, discovery) : null;
    const where = (s: Setting | null): ServerRef | null => (s === null ? null : serverRef(s));
    return {
      ...account,
      weaknesses: found ? [...new Set(servers.flatMap((s) => assessServer(s, discovery)))] : [],
      level: found ? accountLevel(servers, discovery) : 'none',
      published: found ? discovery.badge : null,
      proposal: proposal === null ? null : { incoming: where(proposal.incoming), outgoing: where(proposal.outgoing), verified: proposal.verified },
      fromCache: discovery?.fromCache ?? false,
    };
  };
  const knownForOAuth2 = async (servers: readonly ServerRef[]): Promise<boolean[]> =>
    Promise.all(servers.map((s) => deps.knowsOAuth2?.(serverRef(s)) ?? false));
  /** RFC 7628: hosts a password cannot sign in to (only OAuth2 offered, a provider Thunderbird does not know). */
  const oauth2Only = async (settings: readonly Setting[]): Promise<string[]> => {
    const known = await knownForOAuth2(settings);
    return oauth2OnlyHosts(settings, (s) => known[settings.findIndex((t) => sameServer(t, s))] === true);
  };
  const handlers: { [K in Request['type']]: (request: Extract<Request, { type: K }>) => Promise<ResponseFor[K]> } = {
    discover: async ({ address: input, fresh }) => {
      const parsed = parseAddress(input, platform);
      let response: DiscoverResponse;
      if (!parsed.ok) {
        response = { ok: false, reason: parsed.reason };
      } else {
        const discovery = fresh === true ? await discover(parsed.value, await options(), platform) : await lookUp(parsed.value);
        response = { ok: true, discovery };
      }
      const last: LastLookup = { version: LAST_VERSION, input, response };
      await platform.storage.set(LAST_KEY, last);
      await deps.showBadge(response);
      return response;
    },
    defaultAddress: () => deps.defaultAddress(),
    capabilities: async () => ({ createAccounts: deps.accounts !== null }),
    knowsOAuth2: async ({ servers }) => ({ known: await knownForOAuth2(servers) }),
    probeAlternative: async ({ address, server }) => {
      const parsed = parseAddress(address, platform);
      if (!parsed.ok) return { setting: null };
      const probed = await probeAlternatives(await lookUp(parsed.value), { ...(await options()), only: server }, platform);
      const setting = probed.alternatives.find((s) => sameServer(s, server) && s.probe !== null);
      return { setting: setting ?? null };
    },
    createAccount: async ({ shown, trusted, displayName, password, remember }) => {
      if (deps.accounts === null) return { ok: false, reason: 'account-not-thunderbird' };
      const parsed = parseAddress(shown.address, platform);
      if (!parsed.ok) return parsed;
      // Before any lookup or login probe: a probe for an existing account's server would share its folders.
      if (await deps.accounts.hasAccount(parsed.value.address)) return { ok: false, reason: 'account-exists' };
      // The servers shown, checked against what is published now (a cache hit or a fresh lookup).
      const planned = planAccount(await lookUp(parsed.value), shown, trusted);
      if (!planned.ok) return planned;
      const { plan } = planned;
      if ((await oauth2Only([plan.incoming, plan.outgoing])).length > 0) return { ok: false, reason: 'account-oauth2-only' };
      const experiment = deps.accounts;
      // RFC 6186 §4: with a password, the first username that logs in; without, the first to try.
      const username = password === undefined || password === ''
        ? plan.usernames[0] ?? plan.address
        : await chooseLogin(plan.usernames, (name) => experiment.verifyLogin(serverSettings(plan.incoming, name), password));
      if (username === null) return { ok: false, reason: 'account-login-failed' };
      const created = await experiment.create({
        address: plan.address,
        ...(displayName === undefined || displayName === '' ? {} : { displayName }),
        incoming: serverSettings(plan.incoming, username),
        outgoing: serverSettings(plan.outgoing, username),
        ...(password === undefined || password === '' ? {} : { password, rememberPassword: remember === true }),
      });
      return created.ok ? { ok: true, accountId: created.accountId, username } : created;
    },
    listAccounts: async () => {
      const accounts = deps.accounts === null ? [] : await deps.accounts.list();
      // One lookup per domain, however many accounts share it.
      const lookups = new Map<string, Promise<Discovery | null>>();
      const once = (account: ExistingAccount): Promise<Discovery | null> => {
        const domain = account.address.slice(account.address.lastIndexOf('@') + 1).toLowerCase();
        const pending = lookups.get(domain) ?? listedDiscovery(account, domain);
        lookups.set(domain, pending);
        return pending;
      };
      return { accounts: await Promise.all(accounts.map(async (a) => report(a, await once(a)))) };
    },
    updateAccount: async ({ accountId, shown, confirmed, trusted }) => {
      if (deps.accounts === null) return { ok: false, reason: 'account-not-thunderbird' };
      if (!confirmed) return { ok: false, reason: 'account-update-unconfirmed' };
      const account = await findAccount(accountId);
      const discovery = account === undefined ? null : await discoveryOf(account);
      if (account === undefined || discovery === null || (shown.incoming === null && shown.outgoing === null)) {
        return { ok: false, reason: 'account-nothing-to-update' };
      }
      // The same rule as creating: exactly the servers shown, still published, vouched for or trusted.
      const checked = (side: ServerRef | null, current: { protocol: string } | null): { ok: true; server: ServerRef | null } | { ok: false; reason: AccountReason } => {
        if (side === null) return { ok: true, server: null };
        // RFC 6186 §4: never IMAP<->POP3 (nor incoming<->outgoing) on an update.
        if (current === null || current.protocol !== side.protocol) return { ok: false, reason: 'account-bad-settings' };
        const match = matchShown(discovery, side, trusted);
        return match.ok ? { ok: true, server: serverRef(match.setting) } : match;
      };
      const incoming = checked(shown.incoming, account.incoming);
      if (!incoming.ok) return incoming;
      const outgoing = checked(shown.outgoing, account.outgoing);
      if (!outgoing.ok) return outgoing;
      const moved = await deps.accounts.update(accountId, {
        ...(incoming.server === null ? {} : { incoming: incoming.server }),
        ...(outgoing.server === null ? {} : { outgoing: outgoing.server }),
      });
      // The Experiment checks again and may refuse (e.g. another account's server): say so, never "Updated".
      if (!moved.ok) return moved;
      const updated = await findAccount(accountId);
      return updated === undefined ? { ok: false, reason: 'account-nothing-to-update' } : { ok: true, account: await report(updated) };
    },
    recheckAccount: async ({ accountId }) => {
      const account = await findAccount(accountId);
      const parsed = account === undefined ? null : parseAddress(account.address, platform);
      if (account === undefined || parsed === null || !parsed.ok) return null;
      // RFC 6186 §4: refresh the lookup for the failing protocol only; never switch IMAP<->POP3.
      const protocol = account.incoming.protocol === 'pop3' ? 'pop3' : 'imap';
      const fresh = await relookup(parsed.value, protocol, await lookUp(parsed.value, false), await options(false), platform);
      return report(account, fresh);
    },
    accountCreated: async ({ accountId }) => {
      const account = await findAccount(accountId);
      if (account === undefined) return null;
      const checked = await report(account);
      await deps.showLevel(checked.level);
      return checked;
    },
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
  return ((request: Request) => (handlers[request.type] as (r: Request) => Promise<unknown>)(request)) as Handler;
}
