// The background's request handlers with the boundary faked: DoH (zone fake), storage (memory) and
// the Thunderbird Experiment (a recording fake). Decisions are the core's; this checks the wiring.
import { describe, expect, test } from 'vitest';
import type { AccountsExperiment, ExistingAccount } from '../../src/background/accounts-experiment.ts';
import { createHandler, levelOf } from '../../src/background/handle-message.ts';
import type { ServerSettings } from '../../src/core/index.ts';
import { srv, testPlatform, zoneResolver, type FakeRecord } from '../support/fake-resolver.ts';
import { memoryStorage } from '../support/memory-storage.ts';

const D = 'example.test';
const ZONE: FakeRecord[] = [
  srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`),
  srv(`_imap._tcp.${D}`, 0, 1, 143, `imap.${D}`),
  srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`),
];

function fakeExperiment(logsIn: (username: string) => boolean, existing: ExistingAccount[] = []) {
  const calls: { verified: string[]; created: unknown[]; updated: unknown[] } = { verified: [], created: [], updated: [] };
  const experiment: AccountsExperiment = {
    hasAccount: async (address) => existing.some((a) => a.address === address),
    verifyLogin: async (server: ServerSettings) => { calls.verified.push(server.username); return logsIn(server.username); },
    create: async (account) => { calls.created.push(account); return { ok: true, accountId: 'account9' }; },
    list: async () => existing,
    update: async (accountId, servers) => { calls.updated.push({ accountId, servers }); return { ok: true }; },
  };
  return { experiment, calls };
}

function handlerWith(zone: FakeRecord[], accounts: AccountsExperiment | null, { ad = true } = {}) {
  const resolver = zoneResolver(zone, { ad });
  const storage = memoryStorage();
  const badges: string[] = [];
  const handle = createHandler({
    platform: testPlatform(resolver.fetch, { storage }) as Parameters<typeof createHandler>[0]['platform'],
    settings: async () => ({ choice: 'custom', customUrl: 'https://resolver.example/dns-query', fallback: false, timeoutMs: 2000 }),
    allKeys: async () => [...storage.data.keys()],
    showBadge: async (r) => void badges.push(r.ok ? r.discovery.badge.level : 'none'),
    showLevel: async (level) => void badges.push(level),
    defaultAddress: async () => null,
    accounts,
  });
  return { handle, resolver, badges, storage };
}

describe('createAccount', () => {
  test('RFC 6186 §4: with a password the full address is tried, then the local-part; the account uses the one that logged in', async () => {
    const { experiment, calls } = fakeExperiment((u) => u === 'alice');
    const { handle } = handlerWith(ZONE, experiment);
    expect(await handle({ type: 'createAccount', address: 'alice@example.test', password: 'pw', remember: true })).toEqual({ ok: true, accountId: 'account9', username: 'alice' });
    expect(calls.verified).toEqual(['alice@example.test', 'alice']);
    expect(calls.created).toEqual([{
      address: 'alice@example.test',
      incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls', username: 'alice' },
      outgoing: { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls', username: 'alice' },
      password: 'pw',
      rememberPassword: true,
    }]);
  });

  test('without a password the first username is used and nothing is verified or remembered', async () => {
    const { experiment, calls } = fakeExperiment(() => false);
    const { handle } = handlerWith(ZONE, experiment);
    expect(await handle({ type: 'createAccount', address: 'alice@example.test', displayName: 'Alice' })).toMatchObject({ ok: true, username: 'alice@example.test' });
    expect(calls.verified).toEqual([]);
    expect(calls.created[0]).toMatchObject({ displayName: 'Alice' });
    expect(calls.created[0]).not.toHaveProperty('password');
  });

  test('no name logs in: refused, nothing created', async () => {
    const { experiment, calls } = fakeExperiment(() => false);
    expect(await handlerWith(ZONE, experiment).handle({ type: 'createAccount', address: 'a@example.test', password: 'x' })).toEqual({ ok: false, reason: 'account-login-failed' });
    expect(calls.created).toEqual([]);
  });

  test('RFC 6186 §6: unverified without confirmation is refused before any login or creation', async () => {
    const outside = [srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.provider.test'), srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.provider.test')];
    const { experiment, calls } = fakeExperiment(() => true);
    const { handle } = handlerWith(outside, experiment, { ad: false });
    expect(await handle({ type: 'createAccount', address: 'a@example.test', password: 'x' })).toEqual({ ok: false, reason: 'account-unverified' });
    expect(calls.verified.length + calls.created.length).toBe(0);
    expect(await handle({ type: 'createAccount', address: 'a@example.test', confirmed: true })).toMatchObject({ ok: true });
  });

  test('an address that already has an account is refused before any lookup or login probe (a probe would share its folders)', async () => {
    const alice: ExistingAccount = {
      accountId: 'account1', address: 'alice@example.test',
      incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls', username: 'alice' },
      outgoing: null,
    };
    const { experiment, calls } = fakeExperiment(() => true, [alice]);
    const { handle, resolver } = handlerWith(ZONE, experiment);
    expect(await handle({ type: 'createAccount', address: 'alice@EXAMPLE.test', password: 'pw' })).toEqual({ ok: false, reason: 'account-exists' });
    expect(calls).toEqual({ verified: [], created: [], updated: [] });
    expect(resolver.calls).toEqual([]);
  });

  test('outside Thunderbird there is nothing to create accounts with', async () => {
    const { handle } = handlerWith(ZONE, null);
    expect(await handle({ type: 'capabilities' })).toEqual({ createAccounts: false });
    expect(await handle({ type: 'createAccount', address: 'a@example.test' })).toEqual({ ok: false, reason: 'account-not-thunderbird' });
  });
});

describe('existing accounts', () => {
  const eve: ExistingAccount = {
    accountId: 'account2', address: 'eve@example.test',
    incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 143, security: 'starttls', username: 'eve' },
    outgoing: null,
  };

  test('a weaker account is reported with the proposal, and the badge level it really gets', async () => {
    const { experiment } = fakeExperiment(() => true, [eve]);
    const { accounts } = await handlerWith(ZONE, experiment).handle({ type: 'listAccounts' });
    expect(accounts).toEqual([{ ...eve, weaknesses: ['weak-starttls-while-tls-offered'], badge: 'tls', proposal: { incoming: { hostname: `imap.${D}`, port: 993, security: 'tls' }, outgoing: null } }]);
    expect(levelOf(accounts[0]!)).toBe('starttls');
  });

  test('an update needs confirmation; confirmed, it moves the server to the proposal', async () => {
    const { experiment, calls } = fakeExperiment(() => true, [eve]);
    const { handle } = handlerWith(ZONE, experiment);
    expect(await handle({ type: 'updateAccount', accountId: 'account2', confirmed: false })).toEqual({ ok: false, reason: 'account-update-unconfirmed' });
    expect(calls.updated).toEqual([]);
    expect(await handle({ type: 'updateAccount', accountId: 'account2', confirmed: true })).toMatchObject({ ok: true });
    expect(calls.updated).toEqual([{ accountId: 'account2', servers: { incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' } } }]);
  });

  test("RFC 6186 §4: a reported failure re-queries only the account's own protocol", async () => {
    const { experiment } = fakeExperiment(() => true, [eve]);
    const { handle, resolver } = handlerWith(ZONE, experiment);
    await handle({ type: 'listAccounts' });
    const before = resolver.calls.length;
    expect(await handle({ type: 'recheckAccount', accountId: 'account2' })).toMatchObject({ address: 'eve@example.test', weaknesses: ['weak-starttls-while-tls-offered'] });
    expect(resolver.calls.slice(before).map((c) => c.name).sort()).toEqual([`_imap._tcp.${D}`, `_imaps._tcp.${D}`]);
  });

  test('accounts.onCreated: the new account sets the toolbar badge to the level it really gets', async () => {
    const { experiment } = fakeExperiment(() => true, [eve]);
    const { handle, badges } = handlerWith(ZONE, experiment);
    await handle({ type: 'accountCreated', accountId: 'account2' });
    expect(badges).toEqual(['starttls']);
    expect(await handle({ type: 'accountCreated', accountId: 'not-yet' })).toBeNull();
  });
});

describe('clearCache', () => {
  test('forgets remembered settings, MTA-STS policies and the last lookup, and nothing else', async () => {
    const { handle, storage } = handlerWith(ZONE, null);
    for (const key of [`discovery:${D}`, `mta-sts:${D}`, 'last', 'unrelated']) await storage.set(key, { any: 1 });
    expect(await handle({ type: 'clearCache' })).toEqual({ cleared: 3 });
    expect([...storage.data.keys()]).toEqual(['unrelated']);
  });
});
