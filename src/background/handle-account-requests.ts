// The requests only Thunderbird can answer (src/protocol.ts): creating, listing, moving and re-checking accounts, its OAuth2
// registry and the probe of an alternative. Loaded on the first such request, never where there is no Thunderbird
// (docs/performance.md#bundle-sizes).
import {
  accountLevel, assessServer, chooseLogin, matchShown, oauth2OnlyHosts, planAccount, proposeUpdate, sameServer, serverRef, serverSettings,
} from '../core/accounts/index.ts';
import { probeAlternatives } from '../core/probe/index.ts';
import {
  relookup,
  parseAddress,
  type AccountReason,
  type Discovery,
  type DiscoveryOptions,
  type EmailAddress,
  type ServerRef,
  type Setting,
} from '../core/index.ts';
import type { AccountReport, CreateStep } from '../protocol.ts';
import type { ExistingAccount } from './accounts-experiment.ts';
import type { AccountHandlers, Deps } from './handle-message.ts';

/** How long one login check may take before its username counts as refused. */
export const LOGIN_CHECK_MS = 20_000;

/** How long the account list leaves a domain that published nothing before asking it again. */
export const EMPTY_DOMAIN_RECHECK_MS = 5 * 60_000;

/** What the account requests share with the lookups: the dependencies and the options of the user's settings. */
export interface LookupContext {
  readonly deps: Deps;
  readonly options: (transport?: boolean) => Promise<DiscoveryOptions>;
  readonly lookUp: (address: EmailAddress, transport?: boolean) => Promise<Discovery>;
}

export function accountHandlers({ deps, options, lookUp }: LookupContext): AccountHandlers {
  const { platform } = deps;
  /** An existing account against what its domain publishes (the same lookup the popup makes). */
  const findAccount = async (accountId: string): Promise<ExistingAccount | undefined> =>
    (await deps.accounts?.list())?.find((a) => a.accountId === accountId);
  // The account list needs no MTA-STS, TLS-RPT or DANE: those are asked only by a lookup the user starts.
  const discoveryOf = async (account: ExistingAccount): Promise<Discovery | null> => {
    const parsed = parseAddress(account.address, platform);
    return parsed.ok ? lookUp(parsed.value, false) : null;
  };
  /** The creation under way: Cancel aborts it. */
  let creating: AbortController | null = null;
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
      proposal:
        proposal === null ? null : { incoming: where(proposal.incoming), outgoing: where(proposal.outgoing), verified: proposal.verified },
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
  return {
    knowsOAuth2: async ({ servers }) => ({ known: await knownForOAuth2(servers) }),
    probeAlternative: async ({ address, server }) => {
      const parsed = parseAddress(address, platform);
      // Without sockets there is nothing to probe, and no lookup to make for it.
      if (!parsed.ok || platform.connect === undefined) return { setting: null };
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
      // Only the boolean true confirms: a message is data, and 'false' is truthy.
      const planned = planAccount(await lookUp(parsed.value), shown, trusted === true);
      if (!planned.ok) return planned;
      const { plan } = planned;
      if ((await oauth2Only([plan.incoming, plan.outgoing])).length > 0) return { ok: false, reason: 'account-oauth2-only' };
      const experiment = deps.accounts;
      const cancel = new AbortController();
      creating?.abort();
      creating = cancel;
      const step = (progress: CreateStep): void => {
        if (!cancel.signal.aborted) deps.progress?.(progress);
      };
      try {
        // A password is checked unless Thunderbird signs in to the host with OAuth2 (it asks in its own window then).
        const check = password !== undefined && password !== '' && !(await experiment.usesOAuth2(serverRef(plan.incoming)));
        // RFC 9051 §6.2.3: a server advertising LOGINDISABLED needs Thunderbird's other mechanisms (several attempts).
        const allMethods = plan.incoming.probe?.auth.includes('LOGINDISABLED') === true;
        // RFC 6186 §4: with a password, the first username that logs in; without, the first to try.
        const username = !check
          ? plan.usernames[0] ?? plan.address
          : await chooseLogin(plan.usernames, async (name) => {
            if (cancel.signal.aborted) return false;
            step({ step: 'trying', username: name });
            const ok = await experiment.verifyLogin(serverSettings(plan.incoming, name), password, LOGIN_CHECK_MS, allMethods);
            if (!ok) step({ step: 'refused', username: name });
            return ok;
          });
        if (cancel.signal.aborted) return { ok: false, reason: 'account-cancelled' };
        if (username === null) return { ok: false, reason: 'account-login-failed' };
        step({ step: 'creating', username });
        // From here Thunderbird makes the whole account: a Cancel now is answered "not cancelled", never half-done.
        if (creating === cancel) creating = null;
        const created = await experiment.create({
          address: plan.address,
          ...(displayName === undefined || displayName === '' ? {} : { displayName }),
          incoming: serverSettings(plan.incoming, username),
          outgoing: serverSettings(plan.outgoing, username),
          ...(password === undefined || password === '' ? {} : { password, rememberPassword: remember === true }),
        });
        return created.ok ? { ok: true, accountId: created.accountId, username } : created;
      } finally {
        if (creating === cancel) creating = null;
      }
    },
    cancelCreate: async () => {
      const running = creating;
      if (running === null) return { cancelled: false };
      running.abort();
      await deps.accounts?.cancelLogins();
      return { cancelled: true };
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
      if (confirmed !== true) return { ok: false, reason: 'account-update-unconfirmed' };
      const account = await findAccount(accountId);
      const discovery = account === undefined ? null : await discoveryOf(account);
      if (account === undefined || discovery === null || (shown.incoming === null && shown.outgoing === null)) {
        return { ok: false, reason: 'account-nothing-to-update' };
      }
      // The same rule as creating: exactly the servers shown, still published, vouched for or trusted.
      const checked = (
        side: ServerRef | null,
        current: { protocol: string } | null,
      ): { ok: true; server: ServerRef | null } | { ok: false; reason: AccountReason } => {
        if (side === null) return { ok: true, server: null };
        // RFC 6186 §4: never IMAP<->POP3 (nor incoming<->outgoing) on an update.
        if (current === null || current.protocol !== side.protocol) return { ok: false, reason: 'account-bad-settings' };
        const match = matchShown(discovery, side, trusted === true);
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
  };
}
