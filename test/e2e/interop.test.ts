// The CLI, GET and POST, against DoH servers other than unbound, all from Debian: BIND 9 and Knot
// Resolver 5 as validating resolvers, and an authoritative-only BIND 9 (no recursion) whose CNAMEs
// out of a zone the client must follow itself (RFC 1034 §3.6.2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startBindAuthoritative, startBindResolver, type DnsServer } from '../support/bind-doh.ts';
import { startHostileDoh, type HostileDoh } from '../support/hostile-doh.ts';
import { startKnotResolver } from '../support/knot-doh.ts';
import { cli } from '../support/run-cli.ts';
import { prepareZone, type ZoneFile } from '../support/sign-zone.ts';

const stateDir = inject('stateDir');
const ca = inject('caFile');
let dir = '';
let hung: HostileDoh | undefined;
const servers: Partial<Record<'bindResolver' | 'knot' | 'bindAuth', DnsServer>> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-interop-'));
  hung = await startHostileDoh(stateDir, { trusted: true });
  const zones: ZoneFile[] = [
    prepareZone(join(dir, 'zones'), 'test/resolver/zones/example.test.zone', { sign: true }),
    ...['alias.test', 'provider.test', 'broken.test']
      .map((z) => prepareZone(join(dir, 'zones'), `test/fixtures/interop/${z}.zone`, { sign: false })),
  ];
  servers.bindAuth = await startBindAuthoritative({ stateDir, dir: join(dir, 'bind-auth'), zones });
  const forwardTo = servers.bindAuth.dnsPort ?? 0;
  // Both start at once; one that started is kept (and stopped in afterAll) even if the other failed.
  const [bind, knot] = await Promise.allSettled([
    startBindResolver({ stateDir, dir: join(dir, 'bind-resolver'), forwardTo, anchors: zones }),
    startKnotResolver({ stateDir, dir: join(dir, 'knot'), forwardTo, anchors: zones }),
  ]);
  if (bind.status === 'fulfilled') servers.bindResolver = bind.value;
  if (knot.status === 'fulfilled') servers.knot = knot.value;
  for (const started of [bind, knot]) if (started.status === 'rejected') throw started.reason;
}, 60000);

afterAll(async () => {
  await Promise.all([...Object.values(servers).map((s) => s.stop()), hung?.close()]);
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const SERVERS = [
  { server: 'BIND 9 validating resolver', key: 'bindResolver', validates: true },
  { server: 'Knot Resolver 5 (doh2)', key: 'knot', validates: true },
  { server: 'BIND 9 authoritative-only', key: 'bindAuth', validates: false },
] as const;
const MATRIX = SERVERS.flatMap((s) => (['GET', 'POST'] as const).map((method) => ({ ...s, method })));

describe.each(MATRIX)('$server over $method', ({ key, validates, method }) => {
  const run = (address: string, ...more: string[]) => {
    const url = servers[key]?.dohUrl;
    if (url === undefined) throw new Error(`${key} did not start`);
    // The fixture hosts run no mail servers: the server probe has its own cases (test/e2e/probe.test.ts).
    return cli(address, '--doh', url, '--ca', ca, '--json', '--no-probe', ...(method === 'POST' ? ['--post'] : []), ...more);
  };

  test('the signed zone: settings, DNSSEC as the server reports it, MTA-STS, TLS-RPT and DANE', async () => {
    const result = await run('alice@example.test');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      incoming: { protocol: 'imap', hostname: 'imap.example.test', port: 993, security: 'tls', dnssec: validates },
      outgoing: { protocol: 'smtp', hostname: 'smtp.example.test', port: 465, security: 'tls', dnssec: validates },
      notOffered: ['_pop3._tcp'],
      dnssec: validates,
      badge: { level: 'tls' },
      transport: { mtaSts: { status: 'valid', mode: 'enforce' }, tlsRpt: { status: 'valid' } },
    });
    // An authoritative server sets no AD (RFC 4035 §3.1.6): its TLSA records protect nothing.
    expect(json.transport.dane.map((d: { status: string }) => d.status)).toEqual(Array(3).fill(validates ? 'valid' : 'insecure'));
    expect(json.badge.reasons).toContain(validates ? 'dnssec-validated' : 'dnssec-not-validated');
  });

  test('RFC 1034 §3.6.2: an _imaps CNAME into another zone gives implicit TLS there, never the _imap STARTTLS beside it', async () => {
    const result = await run('bob@alias.test', '--no-transport');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.incoming).toMatchObject({
      hostname: 'imap.provider.test', port: 993, security: 'tls', service: '_imaps._tcp', inDomain: false,
    });
    // RFC 2181 §10.1.1: cached no longer than the CNAME (600 s) that led to it.
    expect(json.incoming.ttl).toBeLessThanOrEqual(600);
    expect(json.badge.level).toBe('unverified');
    // A resolver follows the CNAME itself; from an authoritative-only server the client asks once more.
    expect(json.timing.queries).toBe(validates ? 6 : 7);
  });

  test('a CNAME into a zone nobody serves fails the lookup (exit 4) naming _imaps, never falls back to _imap', async () => {
    const result = await run('carol@broken.test', '--no-transport');
    expect(result.code).toBe(4);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ incoming: null, badge: { level: 'none' }, error: { name: '_imaps._tcp.broken.test' } });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('_imaps._tcp.broken.test');
  });
});

describe.each(SERVERS.filter((s) => s.validates))('a hung first resolver, then $server, over POST', ({ key }) => {
  test('its time-out is paid once, TLSA and the policy host go straight to the second, and the CLI exits', async () => {
    const timeout = 1500;
    const first = hung?.url('hang') ?? '';
    const second = servers[key]?.dohUrl ?? '';
    const args = ['--doh', first, '--doh', second, '--ca', ca, '--json', '--post', '--no-probe', '--timeout', String(timeout)];
    const result = await cli('alice@example.test', ...args);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ incoming: { hostname: 'imap.example.test' }, transport: { mtaSts: { status: 'valid' } } });
    expect(json.transport.dane.map((d: { status: string }) => d.status)).toEqual(['valid', 'valid', 'valid']);
    expect(result.ms).toBeLessThan(2 * timeout);
  });
});
