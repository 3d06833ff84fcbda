// The background's request handlers with the boundary faked: DoH (zone fake), storage (memory) and
// the Thunderbird Experiment (a recording fake). Decisions are the core's; this checks the wiring.
import { describe, expect, test } from 'vitest';
import type { AccountsExperiment, ExistingAccount } from '../../src/background/accounts-experiment.ts';
import { readFileSync } from 'node:fs';
import { createHandler } from '../../src/background/handle-message.ts';
import type { Connect } from '../../src/core/probe/connection.ts';
import type { ServerRef, ServerSettings, ShownAccount } from '../../src/core/index.ts';
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

function handlerWith(
  zone: FakeRecord[],
  accounts: AccountsExperiment | null,
  { ad = true, connect, knowsOAuth2 }: { ad?: boolean; connect?: Connect; knowsOAuth2?: (s: ServerRef) => Promise<boolean> } = {},
) {
  const resolver = zoneResolver(zone, { ad });
  const storage = memoryStorage();
  const badges: string[] = [];
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
  });
  return { handle, resolver, badges, storage };
}

const imaps: ServerRef = { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' };
const submissions: ServerRef = { protocol: 'smtp', hostname: `smtp.${D}`, port: 465, security: 'tls' };
/** What the popup shows for an address of ZONE. */
const shownFor = (address: string, incoming = imaps, outgoing = submissions): ShownAccount => ({ address, incoming, outgoing });

describe('createAccount', () => {
  test('RFC 6186 §4: with a password the full address is tried, then the local-part; the account uses the one that logged in', async () => {
    const { experiment, calls } = fakeExperiment((u) => u === 'alice');
    const { handle } = handlerWith(ZONE, experiment);
    expect(await handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, password: 'pw', remember: true })).toEqual({ ok: true, accountId: 'account9', username: 'alice' });
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
    expect(await handle({ type: 'createAccount', shown: shownFor('alice@example.test'), trusted: false, displayName: 'Alice' })).toMatchObject({ ok: true, username: 'alice@example.test' });
    expect(calls.verified).toEqual([]);
    expect(calls.created[0]).toMatchObject({ displayName: 'Alice' });
    expect(calls.created[0]).not.toHaveProperty('password');
  });

  test('no name logs in: refused, nothing created', async () => {
    const { experiment, calls } = fakeExperiment(() => false);
    expect(await handlerWith(ZONE, experiment).handle({ type: 'createAccount', shown: shownFor('a@example.test'), trusted: false, password: 'x' })).toEqual({ ok: false, reason: 'account-login-failed' });
    expect(calls.created).toEqual([]);
  });

  const providerIn: ServerRef = { protocol: 'imap', hostname: 'imap.provider.test', port: 993, security: 'tls' };
  const providerOut: ServerRef = { protocol: 'smtp', hostname: 'smtp.provider.test', port: 465, security: 'tls' };
  const outside = [srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.provider.test'), srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.provider.test')];

  test('RFC 6186 §6: unverified without confirmation is refused before any login or creation', async () => {
    const { experiment, calls } = fakeExperiment(() => true);
    const { handle } = handlerWith(outside, experiment, { ad: false });
    const shown = shownFor('a@example.test', providerIn, providerOut);
    expect(await handle({ type: 'createAccount', shown, trusted: false, password: 'x' })).toEqual({ ok: false, reason: 'account-unverified' });
    expect(calls.verified.length + calls.created.length).toBe(0);
    expect(await handle({ type: 'createAccount', shown, trusted: true })).toMatchObject({ ok: true });
  });

  test('RFC 6186 §6: a confirmation covers only the servers shown — a changed answer is refused before any login', async () => {
    // The user saw and trusted provider.test; by the time of the click the domain names attacker.test.
    const { experiment, calls } = fakeExperiment(() => true);
    const changed = [srv(`_imaps._tcp.${D}`, 0, 1, 993, 'imap.attacker.test'), srv(`_submissions._tcp.${D}`, 0, 1, 465, 'smtp.provider.test')];
    const { handle } = handlerWith(changed, experiment, { ad: false });
    const shown = shownFor('a@example.test', providerIn, providerOut);
    expect(await handle({ type: 'createAccount', shown, trusted: true, password: 'secret' })).toEqual({ ok: false, reason: 'account-settings-changed' });
    expect(calls.verified).toEqual([]);
    expect(calls.created).toEqual([]);
  });

  test('a server that is still published but no longer vouched for needs the user again', async () => {
    // Shown in-domain with DNSSEC; now out of the domain without AD: the earlier view vouches for nothing.
    const { experiment, calls } = fakeExperiment(() => true);
    const { handle } = handlerWith(outside, experiment, { ad: false });
    expect(await handle({ type: 'createAccount', shown: shownFor('a@example.test', providerIn, providerOut), trusted: false })).toEqual({ ok: false, reason: 'account-unverified' });
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
    expect(await handle({ type: 'createAccount', shown: shownFor('alice@EXAMPLE.test'), trusted: false, password: 'pw' })).toEqual({ ok: false, reason: 'account-exists' });
    expect(calls).toEqual({ verified: [], created: [], updated: [] });
    expect(resolver.calls).toEqual([]);
  });

  test('outside Thunderbird there is nothing to create accounts with', async () => {
    const { handle } = handlerWith(ZONE, null);
    expect(await handle({ type: 'capabilities' })).toEqual({ createAccounts: false });
    expect(await handle({ type: 'createAccount', shown: shownFor('a@example.test'), trusted: false })).toEqual({ ok: false, reason: 'account-not-thunderbird' });
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
    expect(await handle({ type: 'updateAccount', accountId: 'account2', shown, confirmed: false, trusted: false })).toEqual({ ok: false, reason: 'account-update-unconfirmed' });
    expect(calls.updated).toEqual([]);
    expect(await handle({ type: 'updateAccount', accountId: 'account2', shown, confirmed: true, trusted: false })).toMatchObject({ ok: true });
    expect(calls.updated).toEqual([{ accountId: 'account2', servers: { incoming: { protocol: 'imap', hostname: `imap.${D}`, port: 993, security: 'tls' } } }]);
  });

  describe('RFC 6186 §6: moving an account obeys the rules of creating one', () => {
    // upd.test publishes, unsigned, servers of another domain; alice's account uses the domain's own host.
    const U = 'upd.test';
    const spoofed = [srv(`_imaps._tcp.${U}`, 0, 0, 993, 'imap.attacker.test'), srv(`_submissions._tcp.${U}`, 0, 0, 465, 'smtp.attacker.test')];
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
      expect(row?.published).toEqual({ level: 'unverified', reasons: expect.arrayContaining(['incoming-outside-domain', 'outgoing-outside-domain']) });
      expect(row?.proposal).toEqual({ incoming: attackerIn, outgoing: attackerOut, verified: false });
    });

    test('two clicks without trusting those servers move nothing; trusted, exactly the shown servers are set', async () => {
      const { experiment, calls } = fakeExperiment(() => true, [alice]);
      const { handle } = handlerWith(spoofed, experiment, { ad: false });
      const shown = { incoming: attackerIn, outgoing: attackerOut };
      expect(await handle({ type: 'updateAccount', accountId: 'account3', shown, confirmed: true, trusted: false })).toEqual({ ok: false, reason: 'account-unverified' });
      expect(calls.updated).toEqual([]);
      expect(await handle({ type: 'updateAccount', accountId: 'account3', shown, confirmed: true, trusted: true })).toMatchObject({ ok: true });
      expect(calls.updated).toEqual([{ accountId: 'account3', servers: { incoming: attackerIn, outgoing: attackerOut } }]);
    });

    test('a trusted move to servers the domain no longer publishes is refused', async () => {
      const { experiment, calls } = fakeExperiment(() => true, [alice]);
      const { handle } = handlerWith(spoofed, experiment, { ad: false });
      const elsewhere = { ...attackerIn, hostname: 'imap.elsewhere.test' };
      expect(await handle({ type: 'updateAccount', accountId: 'account3', shown: { incoming: elsewhere, outgoing: null }, confirmed: true, trusted: true }))
        .toEqual({ ok: false, reason: 'account-settings-changed' });
      expect(calls.updated).toEqual([]);
    });

    test('RFC 6186 §4: an update never switches IMAP to POP3', async () => {
      const { experiment, calls } = fakeExperiment(() => true, [alice]);
      const withPop = [...spoofed, srv(`_pop3s._tcp.${U}`, 0, 0, 995, `pop.${U}`)];
      const { handle } = handlerWith(withPop, experiment, { ad: false });
      const pop: ServerRef = { protocol: 'pop3', hostname: `pop.${U}`, port: 995, security: 'tls' };
      expect(await handle({ type: 'updateAccount', accountId: 'account3', shown: { incoming: pop, outgoing: null }, confirmed: true, trusted: true }))
        .toEqual({ ok: false, reason: 'account-bad-settings' });
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
    expect(await handle({ type: 'updateAccount', accountId: 'account2', shown: { incoming: imaps, outgoing: null }, confirmed: true, trusted: false }))
      .toEqual({ ok: false, reason: 'account-exists' });
    expect(calls.updated).toEqual([]);
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

describe('preconnect', () => {
  test('the popup opening sends one query, for localhost, to the chosen resolver only: the connection is warm before the click', async () => {
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
    expect(resolver.calls.map((c) => [c.url.split('?')[0], c.name, c.type])).toEqual([['https://resolver.example/dns-query', 'localhost', 'A']]);
    // Nothing a later lookup could mistake for a result of its own.
    expect([...storage.data.keys()]).toEqual([]);
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
