// Answers the popup's and options page's requests (src/protocol.ts) with the core.
import {
  assessServer, chooseLogin, isCacheKey, proposeUpdate, relookup, discover, discoverWithCache, parseAddress, planAccount, readSettings, resolverList, serverSettings,
  type BadgeLevel, type Discovery, type DiscoveryOptions, type EmailAddress, type Platform, type Setting,
} from '../core/index.ts';
import { LAST_KEY, type AccountReport, type DiscoverResponse, type LastLookup, type Request, type ResponseFor } from '../protocol.ts';
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
}

export type Handler = <R extends Request>(request: R) => Promise<ResponseFor[R['type']]>;

export function createHandler(deps: Deps): Handler {
  const { platform } = deps;
  const options = async (): Promise<DiscoveryOptions> => {
    const settings = readSettings(await deps.settings(), parseUrl);
    return { resolvers: resolverList(settings), method: 'GET', timeoutMs: settings.timeoutMs, transport: true };
  };
  const lookUp = async (address: EmailAddress) => discoverWithCache(address, await options(), platform);
  /** An existing account against what its domain publishes (the same lookup the popup makes). */
  const findAccount = async (accountId: string): Promise<ExistingAccount | undefined> =>
    (await deps.accounts?.list())?.find((a) => a.accountId === accountId);
  const discoveryOf = async (account: ExistingAccount): Promise<Discovery | null> => {
    const parsed = parseAddress(account.address, platform);
    return parsed.ok ? lookUp(parsed.value) : null;
  };
  const report = async (account: ExistingAccount, known?: Discovery): Promise<AccountReport> => {
    const discovery = known ?? await discoveryOf(account);
    const found = discovery !== null && discovery.status === 'found';
    const servers = [account.incoming, ...(account.outgoing === null ? [] : [account.outgoing])];
    const proposal = found ? proposeUpdate(account.incoming, account.outgoing, discovery) : null;
    const where = (s: Setting | null | undefined) => (s === null || s === undefined ? null : { hostname: s.hostname, port: s.port, security: s.security });
    return {
      ...account,
      weaknesses: found ? [...new Set(servers.flatMap((s) => assessServer(s, discovery)))] : [],
      badge: found ? discovery.badge.level : null,
      proposal: proposal === null ? null : { incoming: where(proposal.incoming), outgoing: where(proposal.outgoing) },
    };
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
      const last: LastLookup = { input, response };
      await platform.storage.set(LAST_KEY, last);
      await deps.showBadge(response);
      return response;
    },
    defaultAddress: () => deps.defaultAddress(),
    capabilities: async () => ({ createAccounts: deps.accounts !== null }),
    createAccount: async ({ address, displayName, password, remember, confirmed }) => {
      if (deps.accounts === null) return { ok: false, reason: 'account-not-thunderbird' };
      const parsed = parseAddress(address, platform);
      if (!parsed.ok) return parsed;
      // Before any lookup or login probe: a probe for an existing account's server would share its folders.
      if (await deps.accounts.hasAccount(parsed.value.address)) return { ok: false, reason: 'account-exists' };
      const planned = planAccount(await lookUp(parsed.value), confirmed === true);
      if (!planned.ok) return planned;
      const { plan } = planned;
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
    listAccounts: async () => ({ accounts: deps.accounts === null ? [] : await Promise.all((await deps.accounts.list()).map((a) => report(a))) }),
    updateAccount: async ({ accountId, confirmed }) => {
      if (deps.accounts === null) return { ok: false, reason: 'account-not-thunderbird' };
      if (!confirmed) return { ok: false, reason: 'account-update-unconfirmed' };
      const account = await findAccount(accountId);
      const discovery = account === undefined ? null : await discoveryOf(account);
      const proposal = account !== undefined && discovery?.status === 'found' ? proposeUpdate(account.incoming, account.outgoing, discovery) : null;
      if (account === undefined || proposal === null) return { ok: false, reason: 'account-nothing-to-update' };
      const server = (s: Setting) => ({ protocol: s.protocol, hostname: s.hostname, port: s.port, security: s.security });
      await deps.accounts.update(accountId, {
        ...(proposal.incoming === null ? {} : { incoming: server(proposal.incoming) }),
        ...(proposal.outgoing === null ? {} : { outgoing: server(proposal.outgoing) }),
      });
      const updated = await findAccount(accountId);
      return updated === undefined ? { ok: false, reason: 'account-nothing-to-update' } : { ok: true, account: await report(updated) };
    },
    recheckAccount: async ({ accountId }) => {
      const account = await findAccount(accountId);
      const parsed = account === undefined ? null : parseAddress(account.address, platform);
      if (account === undefined || parsed === null || !parsed.ok) return null;
      // RFC 6186 §4: refresh the lookup for the failing protocol only; never switch IMAP<->POP3.
      const protocol = account.incoming.protocol === 'pop3' ? 'pop3' : 'imap';
      const fresh = await relookup(parsed.value, protocol, await lookUp(parsed.value), await options(), platform);
      return report(account, fresh);
    },
    accountCreated: async ({ accountId }) => {
      const account = await findAccount(accountId);
      if (account === undefined) return null;
      const checked = await report(account);
      await deps.showLevel(levelOf(checked));
      return checked;
    },
    clearCache: async () => {
      const keys = (await deps.allKeys()).filter((k) => isCacheKey(k) || k === LAST_KEY);
      for (const key of keys) await platform.storage.remove(key);
      return { cleared: keys.length };
    },
  };
  return ((request: Request) => (handlers[request.type] as (r: Request) => Promise<unknown>)(request)) as Handler;
}

/**
 * The level an account really gets: the domain's, lowered by its own weaknesses — plain text is
 * none, a host the domain does not publish is unverified, STARTTLS where TLS is offered is starttls.
 */
export function levelOf(report: AccountReport): BadgeLevel {
  if (report.badge === null || report.weaknesses.includes('weak-plaintext')) return 'none';
  if (report.weaknesses.includes('weak-host-not-in-srv')) return 'unverified';
  if (report.weaknesses.includes('weak-starttls-while-tls-offered') && report.badge === 'tls') return 'starttls';
  return report.badge;
}
