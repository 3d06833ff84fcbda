// The background's request handlers with the boundary faked: DoH (zone fake), storage (memory) and
// the Thunderbird Experiment (a recording fake). Decisions are the core's; this checks the wiring.
import { Buffer } from 'node:buffer';
import * as packet from 'dns-packet';
import { describe, expect, test, vi } from 'vitest';
import type { AccountsExperiment, ExistingAccount } from '../../src/background/accounts-experiment.ts';
import { readFileSync } from 'node:fs';
import { accountHandlers } from '../../src/background/handle-account-requests.ts';
import { createHandler, WITHOUT_THUNDERBIRD, type Deps } from '../../src/background/handle-message.ts';
import type { Connect } from '../../src/core/probe/connection.ts';
import type { Discovery, Fetch, ServerRef, ServerSettings, ShownAccount } from '../../src/core/index.ts';
import { srv, testPlatform, zoneResolver, type FakeCall, type FakeRecord } from '../support/fake-resolver.ts';
import { memoryStorage } from '../support/memory-storage.ts';
import type { CreateStep, Request } from '../../src/protocol.ts';

const D = 'example.test';
const ZONE: FakeRecord[] = [
  srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`),
  srv(`_imap._tcp.${D}`, 0, 1, 143, `imap.${D}`),
  srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`),
];

function fakeExperiment(
  logsIn: (username: string) => boolean | Promise<boolean>, existing: ExistingAccount[] = [], { oauth2 = false } = {},
) {
  const calls: { verified: string[]; created: unknown[]; updated: unknown[]; allMethods?: boolean[]; cancelled?: number } = {
    verified: [], created: [], updated: [],
  };
  const experiment: AccountsExperiment = {
    hasAccount: async (address) => existing.some((a) => a.address === address),
    verifyLogin: async (server: ServerSettings, _password, _timeout, allMethods) => {
      calls.verified.push(server.username);
      if (allMethods !== undefined) (calls.allMethods ??= []).push(allMethods);
      return logsIn(server.username);
    },
    cancelLogins: async () => void (calls.cancelled = (calls.cancelled ?? 0) + 1),
    usesOAuth2: async () => oauth2,
    create: async (account) => { calls.created.push(account); return { ok: true, accountId: 'account9' }; },
    list: async () => existing,
    update: async (accountId, servers) => { calls.updated.push({ accountId, servers }); return { ok: true }; },
  };
  return { experiment, calls };
}

function handlerWith(
  zone: FakeRecord[],
  accounts: AccountsExperiment | null,
  { ad = true, connect, knowsOAuth2 }: { ad?: boolean; connect?: Connect; knowsOAuth2?: (s: ServerRef) => Promise<boolean> } = {},
) {
  const resolver = zoneResolver(zone, { ad });
  const storage = memoryStorage();
  const badges: string[] = [];
  const steps: CreateStep[] = [];
  const handle = createHandler({
    platform: testPlatform(resolver.fetch, { storage, ...(connect === undefined ? {} : { connect }) }) as
      Parameters<typeof createHandler>[0]['platform'],
    knowsOAuth2,
    settings: async () => ({ choice: 'custom', customUrl: 'https://resolver.example/dns-query', fallback: false, timeoutMs: 2000 }),
    allKeys: async () => [...storage.data.keys()],
    showBadge: async (r) => void badges.push(r.ok ? r.discovery.badge.level : 'none'),
    showLevel: async (level) => void badges.push(level),
    defaultAddress: async () => null,
    accounts,
    progress: (step) => void steps.push(step),
  });
  return { handle, resolver, badges, storage, steps };
}

const imaps: ServerRef = { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' };
const submissions: ServerRef = { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls' };
/** What the popup shows for an address of ZONE. */
const shownFor = (address: string, incoming = imaps, outgoing = submissions): ShownAccount => ({ address, incoming, outgoing });

describe('createAccount', () => {
  test('RFC 6186 §4: with a password the full address is tried, then the local-part; the account uses the one that logged in', async () => {
    const { experiment, calls } = fakeExperiment((u) => u === 'alice');
    const { handle } = handlerWith(ZONE, experiment);
    expect(
      await handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, password: 'pw', remember: true }),
    ).toEqual({ ok: true, accountId: 'account9', username: 'alice' });
    expect(calls.verified).toEqual(['alice@example.test', 'alice']);
    // One check per name: the LOGIN command only, the server did not advertise LOGINDISABLED.
    expect(calls.allMethods).toEqual([false, false]);
    expect(calls.created).toEqual([{
      address: 'alice@example.test',
      incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls', username: 'alice' },
      outgoing: { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls', username: 'alice' },
      password: 'pw',
      rememberPassword: true,
    }]);
  });

  test('RFC 6186 §4: each step is told to the popup as it happens — the full address refused, then the local-part', async () => {
    const { experiment } = fakeExperiment((u) => u === 'alice');
    const { handle, steps } = handlerWith(ZONE, experiment);
    await handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, password: 'pw' });
    expect(steps).toEqual([
      { step: 'trying', username: 'alice@example.test' },
      { step: 'refused', username: 'alice@example.test' },
      { step: 'trying', username: 'alice' },
      { step: 'creating', username: 'alice' },
    ]);
  });

  test('Cancel during a login check: no further name is tried, nothing is created, the checks under way are stopped', async () => {
    let release: (ok: boolean) => void = () => undefined;
    const { experiment, calls } = fakeExperiment(() => new Promise<boolean>((resolve) => (release = resolve)));
    const { handle, steps } = handlerWith(ZONE, experiment);
    const creating = handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, password: 'pw' });
    await vi.waitFor(() => expect(calls.verified).toEqual(['alice@example.test']));
    expect(await handle({ type: 'cancelCreate' })).toEqual({ cancelled: true });
    expect(calls.cancelled).toBe(1);
    release(false); // the Experiment's check answers false once stopped
    expect(await creating).toEqual({ ok: false, reason: 'account-cancelled' });
    expect(calls.verified).toEqual(['alice@example.test']);
    expect(calls.created).toEqual([]);
    expect(steps).toEqual([{ step: 'trying', username: 'alice@example.test' }]);
    expect(await handle({ type: 'cancelCreate' })).toEqual({ cancelled: false });
  });

  test('Cancel once the account is being made is refused (cancelled: false): Thunderbird cannot stop a creation half-way', async () => {
    const { experiment, calls } = fakeExperiment(() => true);
    let finish: () => void = () => undefined;
    experiment.create = async (account) => {
      calls.created.push(account);
      await new Promise<void>((resolve) => (finish = resolve));
      return { ok: true, accountId: 'account9' };
    };
    const { handle } = handlerWith(ZONE, experiment);
    const creating = handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, password: 'pw' });
    await vi.waitFor(() => expect(calls.created).toHaveLength(1));
    expect(await handle({ type: 'cancelCreate' })).toEqual({ cancelled: false });
    finish();
    expect(await creating).toMatchObject({ ok: true, accountId: 'account9' });
  });

  test('a check that succeeds just as the user cancels still creates nothing', async () => {
    let release: (ok: boolean) => void = () => undefined;
    const { experiment, calls } = fakeExperiment(() => new Promise<boolean>((resolve) => (release = resolve)));
    const { handle } = handlerWith(ZONE, experiment);
    const creating = handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, password: 'pw' });
    await vi.waitFor(() => expect(calls.verified.length).toBe(1));
    await handle({ type: 'cancelCreate' });
    release(true);
    expect(await creating).toEqual({ ok: false, reason: 'account-cancelled' });
    expect(calls.created).toEqual([]);
  });

  test('OAuth2: a host Thunderbird signs in to with OAuth2 gets no password check; the account is made with the full address', async () => {
    const { experiment, calls } = fakeExperiment(() => false, [], { oauth2: true });
    const { handle } = handlerWith(ZONE, experiment);
    expect(await handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, password: 'pw' }))
      .toMatchObject({ ok: true, username: 'alice@example.test' });
    expect(calls.verified).toEqual([]);
  });

  test('without a password the first username is used and nothing is verified or remembered', async () => {
    const { experiment, calls } = fakeExperiment(() => false);
    const { handle } = handlerWith(ZONE, experiment);
    expect(
      await handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, displayName: 'Alice' }),
    ).toMatchObject({ ok: true, username: 'alice@example.test' });
    expect(calls.verified).toEqual([]);
    expect(calls.created[0]).toMatchObject({ displayName: 'Alice' });
    expect(calls.created[0]).not.toHaveProperty('password');
  });

  test('no name logs in: refused, nothing created', async () => {
    const { experiment, calls } = fakeExperiment(() => false);
    expect(
      await handlerWith(ZONE, experiment).handle({
        type: 'createAccount',
        shown: shownFor('a@example.test'),
        trusted: false,
        password: 'x',
      }),
    ).toEqual({ ok: false, reason: 'account-login-failed' });
    expect(calls.created).toEqual([]);
  });

  const providerIn: ServerRef = { protocol: 'imap', hostname: 'imap.provider.test', port: 993, security: 'tls' };
  const providerOut: ServerRef = { protocol: 'smtp', hostname: 'smtp.provider.test', port: 465, security: 'tls' };
  const outside = [
    srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.provider.test'),
    srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.provider.test'),
  ];

  test('RFC 6186 §6: unverified without confirmation is refused before any login or creation', async () => {
    const { experiment, calls } = fakeExperiment(() => true);
    const { handle } = handlerWith(outside, experiment, { ad: false });
    const shown = shownFor('a@example.test', providerIn, providerOut);
    expect(await handle({ type: 'createAccount', shown, trusted: false, password: 'x' })).toEqual({
      ok: false,
      reason: 'account-unverified',
    });
    expect(calls.verified.length + calls.created.length).toBe(0);
    // A message is data from a page: only the boolean true confirms, not a truthy string or number.
    for (const notTrue of ['false', 1, 'yes'] as unknown as boolean[]) {
      const request = { type: 'createAccount', shown, trusted: notTrue, password: 'x' } as const;
      expect(await handle(request)).toEqual({ ok: false, reason: 'account-unverified' });
    }
    expect(await handle({ type: 'createAccount', shown, trusted: true })).toMatchObject({ ok: true });
  });

  test('RFC 6186 §6: a confirmation covers only the servers shown — a changed answer is refused before any login', async () => {
    // The user saw and trusted provider.test; by the time of the click the domain names attacker.test.
    const { experiment, calls } = fakeExperiment(() => true);
    const changed = [
      srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.attacker.test'),
      srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.provider.test'),
    ];
    const { handle } = handlerWith(changed, experiment, { ad: false });
    const shown = shownFor('a@example.test', providerIn, providerOut);
    expect(await handle({ type: 'createAccount', shown, trusted: true, password: 'secret' })).toEqual({
      ok: false,
      reason: 'account-settings-changed',
    });
    expect(calls.verified).toEqual([]);
    expect(calls.created).toEqual([]);
  });

  test('a server that is still published but no longer vouched for needs the user again', async () => {
    // Shown in-domain with DNSSEC; now out of the domain without AD: the earlier view vouches for nothing.
    const { experiment, calls } = fakeExperiment(() => true);
    const { handle } = handlerWith(outside, experiment, { ad: false });
    expect(await handle({ type: 'createAccount', shown: shownFor('a@example.test', providerIn, providerOut), trusted: false })).toEqual({
      ok: false,
      reason: 'account-unverified',
    });
    expect(calls.created).toEqual([]);
  });

  test('an address that already has an account is refused before any lookup or login probe (a probe would share its folders)', async () => {
    const alice: ExistingAccount = {
      accountId: 'account1', address: 'alice@example.test',
      incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls', username: 'alice' },
      outgoing: null,
    };
    const { experiment, calls } = fakeExperiment(() => true, [alice]);
    const { handle, resolver } = handlerWith(ZONE, experiment);
    expect(await handle({ type: 'createAccount', shown: shownFor('alice@EXAMPLE.test'), trusted: false, password: 'pw' })).toEqual({
      ok: false,
      reason: 'account-exists',
    });
    expect(calls).toEqual({ verified: [], created: [], updated: [] });
    expect(resolver.calls).toEqual([]);
  });

  test('outside Thunderbird there is nothing to create accounts with', async () => {
    const { handle } = handlerWith(ZONE, null);
    expect(await handle({ type: 'capabilities' })).toEqual({ createAccounts: false });
    expect(await handle({ type: 'createAccount', shown: shownFor('a@example.test'), trusted: false })).toEqual({
      ok: false,
      reason: 'account-not-thunderbird',
    });
  });
});

describe('existing accounts', () => {
  const eve: ExistingAccount = {
    accountId: 'account2', address: 'eve@example.test',
    incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 143, security: 'starttls', username: 'eve' },
    outgoing: null,
  };

  test('a weaker account is reported with the proposal, the published badge and the level it really gets', async () => {
    const { experiment } = fakeExperiment(() => true, [eve]);
    const { accounts } = await handlerWith(ZONE, experiment).handle({ type: 'listAccounts' });
    expect(accounts).toEqual([{
      ...eve,
      weaknesses: ['weak-starttls-while-tls-offered'],
      level: 'starttls',
      published: expect.objectContaining({ level: 'tls' }),
      proposal: { incoming: imaps, outgoing: null, verified: true },
      fromCache: false,
    }]);
  });

  test('an update needs the confirming click; confirmed, it moves the server to exactly what was shown', async () => {
    const { experiment, calls } = fakeExperiment(() => true, [eve]);
    const { handle } = handlerWith(ZONE, experiment);
    const shown = { incoming: imaps, outgoing: null };
    expect(await handle({ type: 'updateAccount', accountId: 'account2', shown, confirmed: false, trusted: false })).toEqual({
      ok: false,
      reason: 'account-update-unconfirmed',
    });
    expect(calls.updated).toEqual([]);
    expect(await handle({ type: 'updateAccount', accountId: 'account2', shown, confirmed: true, trusted: false })).toMatchObject({
      ok: true,
    });
    expect(calls.updated).toEqual([
      { accountId: 'account2', servers: { incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' } } },
    ]);
  });

  describe('RFC 6186 §6: moving an account obeys the rules of creating one', () => {
    // upd.test publishes, unsigned, servers of another domain; alice's account uses the domain's own host.
    const U = 'upd.test';
    const spoofed = [
      srv(`_imaps._tcp.${U}`, 0, 0, 993, 'imap.attacker.test'),
      srv(`_submissions._tcp.${U}`, 0, 0, 465, 'smtp.attacker.test'),
    ];
    const alice: ExistingAccount = {
      accountId: 'account3', address: `alice@${U}`,
      incoming: { protocol: 'imap', hostname: `imap.${U}`, port: 143, security: 'starttls', username: 'alice' },
      outgoing: { protocol: 'smtp', hostname: `smtp.${U}`, port: 587, security: 'starttls', username: 'alice' },
    };
    const attackerIn: ServerRef = { protocol: 'imap', hostname: 'imap.attacker.test', port: 993, security: 'tls' };
    const attackerOut: ServerRef = { protocol: 'smtp', hostname: 'smtp.attacker.test', port: 465, security: 'tls' };

    test('an unverified published server is never proposed as an improvement, and the row carries the badge and why', async () => {
      const { experiment } = fakeExperiment(() => true, [alice]);
      const { accounts: [row] } = await handlerWith(spoofed, experiment, { ad: false }).handle({ type: 'listAccounts' });
      expect(row?.weaknesses).toEqual([]);
      expect(row?.level).toBe('starttls');
      expect(row?.published).toEqual({
        level: 'unverified',
        reasons: expect.arrayContaining(['incoming-outside-domain', 'outgoing-outside-domain']),
      });
      expect(row?.proposal).toEqual({ incoming: attackerIn, outgoing: attackerOut, verified: false });
    });

    test('two clicks without trusting those servers move nothing; trusted, exactly the shown servers are set', async () => {
      const { experiment, calls } = fakeExperiment(() => true, [alice]);
      const { handle } = handlerWith(spoofed, experiment, { ad: false });
      const shown = { incoming: attackerIn, outgoing: attackerOut };
      expect(await handle({ type: 'updateAccount', accountId: 'account3', shown, confirmed: true, trusted: false })).toEqual({
        ok: false,
        reason: 'account-unverified',
      });
      expect(calls.updated).toEqual([]);
      for (const notTrue of ['true', 1] as unknown as boolean[]) {
        const unconfirmed = { type: 'updateAccount', accountId: 'account3', shown, confirmed: notTrue, trusted: true } as const;
        expect(await handle(unconfirmed)).toEqual({ ok: false, reason: 'account-update-unconfirmed' });
        const untrusted = { type: 'updateAccount', accountId: 'account3', shown, confirmed: true, trusted: notTrue } as const;
        expect(await handle(untrusted)).toEqual({ ok: false, reason: 'account-unverified' });
      }
      expect(calls.updated).toEqual([]);
      expect(await handle({ type: 'updateAccount', accountId: 'account3', shown, confirmed: true, trusted: true })).toMatchObject({
        ok: true,
      });
      expect(calls.updated).toEqual([{ accountId: 'account3', servers: { incoming: attackerIn, outgoing: attackerOut } }]);
    });

    test('a trusted move to servers the domain no longer publishes is refused', async () => {
      const { experiment, calls } = fakeExperiment(() => true, [alice]);
      const { handle } = handlerWith(spoofed, experiment, { ad: false });
      const elsewhere = { ...attackerIn, hostname: 'imap.elsewhere.test' };
      expect(
        await handle({
          type: 'updateAccount',
          accountId: 'account3',
          shown: { incoming: elsewhere, outgoing: null },
          confirmed: true,
          trusted: true,
        }),
      ).toEqual({ ok: false, reason: 'account-settings-changed' });
      expect(calls.updated).toEqual([]);
    });

    test('RFC 6186 §4: an update never switches IMAP to POP3', async () => {
      const { experiment, calls } = fakeExperiment(() => true, [alice]);
      const withPop = [...spoofed, srv(`_pop3s._tcp.${U}`, 0, 0, 995, `pop.${U}`)];
      const { handle } = handlerWith(withPop, experiment, { ad: false });
      const pop: ServerRef = { protocol: 'pop3', hostname: `pop.${U}`, port: 995, security: 'tls' };
      expect(
        await handle({
          type: 'updateAccount',
          accountId: 'account3',
          shown: { incoming: pop, outgoing: null },
          confirmed: true,
          trusted: true,
        }),
      ).toEqual({ ok: false, reason: 'account-bad-settings' });
      expect(calls.updated).toEqual([]);
    });
  });

  test('opening the account list asks SRV only, once per domain, and nothing while the results are cached', async () => {
    const bob: ExistingAccount = { ...eve, accountId: 'account4', address: `bob@${D}` };
    const nobody: ExistingAccount = { ...eve, accountId: 'account5', address: 'carol@nothing.test' };
    const { experiment } = fakeExperiment(() => true, [eve, bob, nobody]);
    const { handle, resolver } = handlerWith(ZONE, experiment);
    await handle({ type: 'listAccounts' });
    // Six SRV labels for each of the two domains; no MTA-STS, TLS-RPT, MX or TLSA query.
    expect(resolver.calls.map((c) => c.type)).toEqual(Array(12).fill('SRV'));
    const again = await handle({ type: 'listAccounts' });
    expect(resolver.calls).toHaveLength(12);
    // Found settings come from the cache (their TTL); the empty domain is not asked again for a while.
    expect(again.accounts.map((a) => [a.fromCache, a.published?.level ?? null])).toEqual([[true, 'tls'], [true, 'tls'], [false, null]]);
  });

  test('a refusal from the Experiment (another account\'s server) reaches the popup, never "Updated"', async () => {
    const { experiment, calls } = fakeExperiment(() => true, [eve]);
    const refusing = { ...experiment, update: async () => ({ ok: false as const, reason: 'account-exists' as const }) };
    const { handle } = handlerWith(ZONE, refusing);
    expect(
      await handle({
        type: 'updateAccount',
        accountId: 'account2',
        shown: { incoming: imaps, outgoing: null },
        confirmed: true,
        trusted: false,
      }),
    ).toEqual({ ok: false, reason: 'account-exists' });
    expect(calls.updated).toEqual([]);
  });

  test("RFC 6186 §4: a reported failure re-queries only the account's own protocol", async () => {
    const { experiment } = fakeExperiment(() => true, [eve]);
    const { handle, resolver } = handlerWith(ZONE, experiment);
    await handle({ type: 'listAccounts' });
    const before = resolver.calls.length;
    expect(await handle({ type: 'recheckAccount', accountId: 'account2' })).toMatchObject({
      address: 'eve@example.test',
      weaknesses: ['weak-starttls-while-tls-offered'],
    });
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

describe('preconnect', () => {
  test('the popup opening sends one query, for localhost, to the chosen resolver only: warm before the click', async () => {
    const resolver = zoneResolver([]);
    const storage = memoryStorage();
    const handle = createHandler({
      platform: testPlatform(resolver.fetch, { storage }) as Parameters<typeof createHandler>[0]['platform'],
      // With fallback on, the presets follow the chosen resolver; the warm-up must not reach them.
      settings: async () => ({ choice: 'custom', customUrl: 'https://resolver.example/dns-query', fallback: true, timeoutMs: 2000 }),
      allKeys: async () => [...storage.data.keys()],
      showBadge: async () => undefined,
      showLevel: async () => undefined,
      defaultAddress: async () => null,
      accounts: null,
    });
    expect(await handle({ type: 'preconnect' })).toEqual({ resolver: 'https://resolver.example/dns-query' });
    expect(resolver.calls.map((c) => [c.url.split('?')[0], c.name, c.type])).toEqual([
      ['https://resolver.example/dns-query', 'localhost', 'A'],
    ]);
    // Nothing a later lookup could mistake for a result of its own.
    expect([...storage.data.keys()]).toEqual([]);
  });
});

describe('two-phase lookup: settings first, the verdict after (docs/performance.md#two-phases)', () => {
  /** ZONE with what the full checks ask for: MTA-STS and TLS-RPT records, TLSA for the chosen servers. */
  const FULL: FakeRecord[] = [
    ...ZONE,
    { name: `_smtp._tls.${D}`, type: 'TXT', data: ['v=TLSRPTv1; rua=mailto:tls@example.test'] },
    { name: `_993._tcp.imap.${D}`, type: 'TLSA', data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.alloc(32, 1) } },
  ];
  /** The zone's resolver, with every answer but SRV held until `release()`: phase 1 can only come from the SRV answers. */
  function holding() {
    const resolver = zoneResolver(FULL);
    const held: (() => void)[] = [];
    /** The type of every query in the order it was sent (held or not). */
    const sent: string[] = [];
    let released = false;
    const fetch: Fetch = async (url, request) => {
      const type = packet.decode(Buffer.from(new URL(url).searchParams.get('dns') ?? '', 'base64url')).questions?.[0]?.type;
      sent.push(type ?? '');
      if (type !== 'SRV' && !released) await new Promise<void>((resolve) => held.push(resolve));
      return resolver.fetch(url, request);
    };
    const release = (): void => {
      released = true;
      for (const go of held.splice(0)) go();
    };
    return { fetch, release, calls: resolver.calls, held, sent };
  }
  function handlerOver(fetch: Fetch) {
    const storage = memoryStorage();
    const badges: string[] = [];
    const handle = createHandler({
      platform: testPlatform(fetch, { storage }) as Parameters<typeof createHandler>[0]['platform'],
      settings: async () => ({ choice: 'custom', customUrl: 'https://resolver.example/dns-query', fallback: false, timeoutMs: 2000 }),
      allKeys: async () => [...storage.data.keys()],
      showBadge: async (r) => void badges.push(r.ok ? r.discovery.badge.level : 'none'),
      showLevel: async () => undefined,
      defaultAddress: async () => null,
      accounts: null,
    });
    return { handle, storage, badges };
  }
  const withoutTiming = ({ timing: _, ...rest }: Discovery) => rest;

  test('the settings arrive while TLSA, MTA-STS and TLS-RPT are still unanswered; the verdict comes with discoverFinal', async () => {
    const net = holding();
    const { handle, storage, badges } = handlerOver(net.fetch);
    const first = await handle({ type: 'discoverSettings', address: `alice@${D}` });
    if (first.final) throw new Error('expected the settings before the verdict');
    expect(net.held.length).toBeGreaterThan(0);
    expect(first.pending).toEqual(['mta-sts', 'tls-rpt', 'dane']);
    expect(first.discovery).toMatchObject({
      status: 'found', transport: null, incoming: { hostname: `imap.${D}`, port: 993 }, outgoing: { hostname: `smtp.${D}`, port: 465 },
    });
    // Nothing of it is kept or shown as the lookup's result: no last lookup, no toolbar badge yet.
    expect(storage.data.has('last')).toBe(false);
    expect(badges).toEqual([]);
    const final = handle({ type: 'discoverFinal', lookup: first.lookup });
    net.release();
    const response = await final;
    if (response === null || !response.ok) throw new Error('expected the verdict');
    expect(response.discovery.transport).not.toBeNull();
    expect(response.discovery.badge.reasons).toContain('tls-rpt-on');
    expect(badges).toEqual([response.discovery.badge.level]);
    expect(storage.data.get('last')).toMatchObject({ input: `alice@${D}`, response });
    // Asked once: a second discoverFinal for the same lookup knows nothing (the popup then asks discover).
    expect(await handle({ type: 'discoverFinal', lookup: first.lookup })).toBeNull();
  });

  test('the verdict equals the single-answer discover of the same zone, from one lookup: no query asked twice', async () => {
    const single = zoneResolver(FULL);
    const today = await handlerOver(single.fetch).handle({ type: 'discover', address: `alice@${D}` });
    const net = holding();
    const { handle } = handlerOver(net.fetch);
    const first = await handle({ type: 'discoverSettings', address: `alice@${D}` });
    if (first.final) throw new Error('expected the settings before the verdict');
    net.release();
    const final = await handle({ type: 'discoverFinal', lookup: first.lookup });
    if (!today.ok || final === null || !final.ok) throw new Error('expected both to find settings');
    expect(withoutTiming(final.discovery)).toEqual(withoutTiming(today.discovery));
    expect(final.discovery.timing.queries).toBe(today.discovery.timing.queries);
    const asked = (calls: FakeCall[]) => calls.map((c) => `${c.name} ${c.type}`).sort();
    expect(asked(net.calls)).toEqual(asked(single.calls));
  });

  test('the settings answer vouches for nothing a probe or DANE would decide: no probe, no transport, no alias reason', async () => {
    const net = holding();
    const first = await handlerOver(net.fetch).handle({ type: 'discoverSettings', address: `alice@${D}` });
    net.release();
    if (first.final) throw new Error('expected the settings before the verdict');
    for (const side of [first.discovery.incoming, first.discovery.outgoing]) expect(side?.probe).toBeNull();
    expect(first.discovery.badge.reasons.filter((r) => /^(mta-sts|tls-rpt|dane)-|-target-alias$/.test(r))).toEqual([]);
  });

  test('the SRV queries are sent before the transport checks\' TXT and MX queries: the settings wait on no other query', async () => {
    const net = holding();
    const { handle } = handlerOver(net.fetch);
    await handle({ type: 'discoverSettings', address: `alice@${D}` });
    net.release();
    expect(net.sent.slice(0, 6)).toEqual(Array(6).fill('SRV'));
    expect(net.sent.slice(6, 9).sort()).toEqual(['MX', 'TXT', 'TXT']);
  });

  test('the settings answer goes out before the TLSA queries are sent (the rest waits for the next task)', async () => {
    const net = holding();
    const { handle } = handlerOver(net.fetch);
    const first = await handle({ type: 'discoverSettings', address: `alice@${D}` });
    const sentBeforeAnswer = [...net.sent];
    net.release();
    if (first.final) throw new Error('expected the settings before the verdict');
    expect(sentBeforeAnswer).not.toContain('TLSA');
    const final = await handle({ type: 'discoverFinal', lookup: first.lookup });
    expect(final?.ok && final.discovery.transport?.dane.length).toBeGreaterThan(0);
  });

  test('a lookup with nothing left to check (a cached result, a refused address) answers once, final', async () => {
    const net = holding();
    net.release();
    const { handle } = handlerOver(net.fetch);
    expect(await handle({ type: 'discoverSettings', address: 'not an address' })).toMatchObject({ final: true, response: { ok: false } });
    const first = await handle({ type: 'discoverSettings', address: `alice@${D}` });
    if (first.final) throw new Error('the first lookup has checks left');
    await handle({ type: 'discoverFinal', lookup: first.lookup });
    const cached = await handle({ type: 'discoverSettings', address: `bob@${D}` });
    expect(cached).toMatchObject({ final: true, response: { ok: true, discovery: { fromCache: true, address: `bob@${D}` } } });
  });
});

describe('RFC 7628: a server that takes only OAuth2 from a provider Thunderbird does not know', () => {
  // test/fixtures/probe/srv-id.der names imap.provider.test and *.wild.test; the platform says it validates.
  const leaf = new Uint8Array(readFileSync('test/fixtures/probe/srv-id.der'));
  const tls = { version: 'TLSv1.3', authorized: true, error: null, userException: false, chain: [leaf] };
  const replies: Record<string, string[]> = {
    CAPABILITY: ['* CAPABILITY IMAP4rev1 AUTH=PLAIN', '$TAG OK done'],
    EHLO: ['250-smtp.wild.test', '250 AUTH OAUTHBEARER XOAUTH2'],
    LOGOUT: ['* BYE', '$TAG OK bye'],
    QUIT: ['221 bye'],
    CAPA: ['+OK', 'SASL PLAIN', 'USER', '.'],
  };
  const GREETING: Record<number, string> = { 993: '* OK ready', 995: '+OK ready' };
  const connect: Connect = async (request) => {
    const queue = [GREETING[request.port] ?? '220 smtp.wild.test ESMTP'];
    return {
      ok: true,
      tls,
      connection: {
        readLine: async () => {
          const line = queue.shift();
          return line === undefined ? { ok: false, reason: 'closed', detail: 'closed' } : { ok: true, line };
        },
        writeLine: async (line) => {
          const [first = '', second = ''] = line.split(' ');
          const tagged = /^[a-z]\d+$/i.test(first) && second !== '';
          queue.push(...(replies[(tagged ? second : first).toUpperCase()] ?? []).map((r) => r.replace('$TAG', tagged ? first : '')));
        },
        startTls: async () => ({ ok: true, tls }),
        close: () => undefined,
      },
    };
  };
  const zone = [srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.provider.test'), srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.wild.test')];
  const shown = shownFor('a@example.test', { ...imaps, hostname: 'imap.provider.test' }, { ...submissions, hostname: 'smtp.wild.test' });

  test('createAccount is refused with account-oauth2-only before any login or creation', async () => {
    const { experiment, calls } = fakeExperiment(() => true);
    const { handle } = handlerWith(zone, experiment, { connect, knowsOAuth2: async () => false });
    const found = await handle({ type: 'discover', address: 'a@example.test' });
    expect(found.ok && found.discovery.outgoing?.probe).toMatchObject({ status: 'ok', auth: ['OAUTHBEARER', 'XOAUTH2'] });
    const refused = await handle({ type: 'createAccount', shown, trusted: false, password: 'x' });
    expect(refused).toEqual({ ok: false, reason: 'account-oauth2-only' });
    expect(calls.verified.length + calls.created.length).toBe(0);
  });

  test('a host Thunderbird knows for OAuth2 goes ahead; knowsOAuth2 answers per server', async () => {
    const { experiment, calls } = fakeExperiment(() => true);
    const knows = async (s: ServerRef): Promise<boolean> => s.hostname === 'smtp.wild.test';
    const { handle } = handlerWith(zone, experiment, { connect, knowsOAuth2: knows });
    expect(await handle({ type: 'knowsOAuth2', servers: [shown.incoming, shown.outgoing] })).toEqual({ known: [false, true] });
    expect(await handle({ type: 'createAccount', shown, trusted: false })).toMatchObject({ ok: true });
    expect(calls.created.length).toBe(1);
  });

  test('probeAlternative: on request one alternative is probed and vouched for; one not published gets null', async () => {
    const withAlternative = [...zone, srv(`_pop3s._tcp.${D}`, 0, 1, 995, 'pop.wild.test')];
    const { handle } = handlerWith(withAlternative, null, { connect });
    const found = await handle({ type: 'discover', address: 'a@example.test' });
    expect(found.ok && found.discovery.alternatives.map((a) => a.probe)).toEqual([null]);
    const pop: ServerRef = { protocol: 'pop3', hostname: 'pop.wild.test', port: 995, security: 'tls' };
    const { setting } = await handle({ type: 'probeAlternative', address: 'a@example.test', server: pop });
    expect(setting).toMatchObject({ ...pop, verifiedBy: ['dnssec'], probe: { status: 'ok', auth: ['PLAIN', 'USER'] } });
    const gone = await handle({ type: 'probeAlternative', address: 'a@example.test', server: { ...pop, port: 1995 } });
    expect(gone).toEqual({ setting: null });
  });
});

describe('without Thunderbird (Chromium, Firefox): the account requests are answered without loading its part', () => {
  const requests: Request[] = [
    { type: 'knowsOAuth2', servers: [imaps, submissions] },
    { type: 'probeAlternative', address: 'a@example.test', server: imaps },
    { type: 'createAccount', shown: shownFor('a@example.test'), trusted: false },
    { type: 'cancelCreate' },
    { type: 'listAccounts' },
    { type: 'updateAccount', accountId: 'account1', shown: { incoming: imaps, outgoing: null }, confirmed: true, trusted: false },
    { type: 'recheckAccount', accountId: 'account1' },
    { type: 'accountCreated', accountId: 'account1' },
  ];

  test.each(requests)('$type: what Thunderbird\'s own handler says when none of its parts is there', async (request) => {
    const { handle, resolver } = handlerWith(ZONE, null);
    const answer = await handle(request);
    const deps = {
      platform: testPlatform(resolver.fetch, { storage: memoryStorage() }) as Deps['platform'],
      settings: async () => ({}), allKeys: async () => [], showBadge: async () => undefined, showLevel: async () => undefined,
      defaultAddress: async () => null, accounts: null,
    };
    const thunderbird = accountHandlers({ deps, options: async () => ({ resolvers: [], method: 'GET', timeoutMs: 1 }), lookUp: () => {
      throw new Error('no lookup without Thunderbird');
    } });
    expect(answer).toEqual(await (thunderbird[request.type as keyof typeof thunderbird] as (r: Request) => Promise<unknown>)(request));
    expect(answer).toEqual(
      await (WITHOUT_THUNDERBIRD[request.type as keyof typeof WITHOUT_THUNDERBIRD] as (r: Request) => Promise<unknown>)(request),
    );
    // Nothing was asked of the resolver: the answer needs no lookup.
    expect(resolver.calls).toEqual([]);
  });
});
