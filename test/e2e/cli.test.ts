// The built CLI (dist/cli.js) against the real test resolver: the JSON of docs/interfaces.md, exit codes, stderr.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startHostileDoh, type HostileDoh } from '../support/hostile-doh.ts';
import { cli } from '../support/run-cli.ts';

const doh = inject('dohUrl');
const ca = inject('caFile');

// The fixture hosts run no mail servers: the server probe has its own cases (test/e2e/probe.test.ts).
const real = ['--doh', doh, '--ca', ca, '--no-probe'];

/** A TCP listener that accepts and then says nothing: a resolver that never answers. */
let silent: Server;
const sockets: Socket[] = [];
let silentUrl = '';
let hostile: HostileDoh;
beforeAll(async () => {
  hostile = await startHostileDoh(inject('stateDir'), { trusted: true });
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  silentUrl = `https://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/dns-query`;
});
afterAll(async () => {
  await hostile.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('srv-autoconfig CLI (docs/interfaces.md)', () => {
  test('--json --no-transport prints the documented object with transport null and exits 0', async () => {
    const run = await cli('alice@example.test', ...real, '--json', '--no-transport');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['address', 'domain', 'incoming', 'outgoing', 'alternatives', 'notOffered', 'badge', 'transport', 'timing']),
    );
    expect(json).toMatchObject({
      address: 'alice@example.test',
      domain: 'example.test',
      incoming: {
        protocol: 'imap',
        hostname: 'imap.example.test',
        port: 993,
        security: 'tls',
        usernames: ['alice@example.test', 'alice'],
        inDomain: true,
        dnssec: true,
      },
      outgoing: {
        protocol: 'smtp',
        hostname: 'smtp.example.test',
        port: 465,
        security: 'tls',
        usernames: ['alice@example.test', 'alice'],
        inDomain: true,
        dnssec: true,
      },
      notOffered: ['_pop3._tcp'],
      badge: { level: 'tls', reasons: ['all-implicit-tls', 'dnssec-validated'] },
      transport: null,
      timing: { queries: 6 },
    });
    expect(json.alternatives.map((s: { port: number }) => s.port)).toEqual([143, 587, 995]);
    expect(json.timing.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  test('with transport checks (the default): MTA-STS, TLS-RPT and DANE in the documented shape', async () => {
    const run = await cli('alice@example.test', ...real, '--json');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.transport).toEqual({
      mtaSts: {
        status: 'valid',
        id: '20261123T01',
        mode: 'enforce',
        maxAge: 86400,
        mx: ['smtp.example.test'],
        mxHosts: ['smtp.example.test'],
        mxMismatch: [],
        fromCache: false,
      },
      tlsRpt: { status: 'valid', rua: ['mailto:tlsrpt@example.test'] },
      dane: [
        {
          host: 'imap.example.test',
          port: 993,
          source: 'incoming',
          status: 'valid',
          records: [expect.objectContaining({ usage: 3, selector: 1, matchingType: 1 })],
        },
        { host: 'smtp.example.test', port: 465, source: 'outgoing', status: 'valid', records: [expect.objectContaining({ usage: 3 })] },
        { host: 'smtp.example.test', port: 25, source: 'mx', status: 'valid', records: [expect.objectContaining({ usage: 3 })] },
      ],
    });
    expect(json.badge.reasons).toEqual(expect.arrayContaining(['mta-sts-enforce', 'tls-rpt-on', 'dane-on']));
    expect(json.badge.level).toBe('tls');
  });

  test('--post gives the same settings', async () => {
    const run = await cli('alice@example.test', ...real, '--json', '--post');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).incoming.hostname).toBe('imap.example.test');
  });

  test('the default output is a readable table', async () => {
    const run = await cli('bob@starttls.test', ...real);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Incoming\s+IMAP\s+mail\.starttls\.test:143\s+STARTTLS/);
    expect(run.stdout).toMatch(/Badge: starttls/);
  });

  test.each([
    { name: 'an address without @', args: ['alice.example.test'], message: /invalid address "alice\.example\.test".*address-missing-at/ },
    { name: 'a numeric domain', args: ['a@127.0.0.1'], message: /domain-numeric/ },
    { name: 'no address', args: [], message: /address is required/ },
    {
      name: 'a plain-http resolver',
      args: ['a@example.test', '--doh', 'http://127.0.0.1/dns-query'],
      message: /must start with https:\/\//,
    },
    { name: 'a URI template without dns', args: ['a@example.test', '--doh', 'https://127.0.0.1/dns-query{?name}'], message: /\{\?dns\}/ },
    { name: 'a bad time-out', args: ['a@example.test', '--timeout', 'soon'], message: /--timeout/ },
    { name: 'an unknown option', args: ['a@example.test', '--frobnicate'], message: /frobnicate/ },
  ])('bad input ($name) exits 2 with a clear line on stderr and sends no query', async ({ args, message }) => {
    const run = await cli(...args, '--doh', silentUrl);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  test('RFC 8484 §4.1: --doh given as a URI template ({?dns}) is expanded, GET and POST', async () => {
    for (const method of [[], ['--post']]) {
      const run = await cli('alice@example.test', '--doh', `${doh}{?dns}`, '--ca', ca, '--json', '--no-transport', ...method);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ incoming: { hostname: 'imap.example.test' } });
    }
  });

  test('RFC 6531 §3.3: a Unicode local-part at an IDN domain logs in with the whole address in Unicode', async () => {
    const run = await cli('ユーザー@Bücher.test', ...real, '--json', '--no-transport');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      domain: 'xn--bcher-kva.test',
      incoming: { hostname: 'imap.xn--bcher-kva.test', usernames: ['ユーザー@bücher.test', 'ユーザー'] },
      outgoing: { usernames: ['ユーザー@bücher.test', 'ユーザー'] },
    });
    const ascii = await cli('alice@bücher.test', ...real, '--json', '--no-transport');
    expect(JSON.parse(ascii.stdout)).toMatchObject({ incoming: { usernames: ['alice@xn--bcher-kva.test', 'alice'] } });
  });

  test('nothing published exits 3', async () => {
    const run = await cli('h@none.test', ...real, '--json');
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ incoming: null, outgoing: null, badge: { level: 'none' } });
  });

  test('SERVFAIL exits 4 with one stderr line naming the label and the resolver', async () => {
    const run = await cli('m@bogus.test', ...real);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('bogus.test');
    expect(run.stderr).toContain(doh);
    expect(run.stderr).toContain('servfail');
  });

  test('a resolver that never answers times out and exits 4 within the time-out', async () => {
    const run = await cli('a@example.test', '--doh', silentUrl, '--timeout', '300', '--ca', ca);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/timeout/);
    expect(run.ms).toBeLessThan(5000);
  });

  test('an unreachable first resolver falls over to the next one', async () => {
    const run = await cli('alice@example.test', '--doh', 'https://127.0.0.1:1/dns-query', ...real, '--json', '--no-transport');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).timing.queries).toBe(12);
  });

  test.each([
    { name: 'accepts TCP, never speaks TLS', url: () => silentUrl },
    { name: 'HTTP/2 up, streams never answered', url: () => hostile.url('hang') },
  ])('a hung first resolver ($name) costs its time-out once: --post gets TLSA and the policy via the second, exits', async ({ url }) => {
    const timeout = 1500;
    const run = await cli('alice@example.test', '--doh', url(), ...real, '--json', '--post', '--timeout', String(timeout));
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.incoming).toMatchObject({ hostname: 'imap.example.test', port: 993 });
    // The policy host's address lookup went straight to the resolver that answered.
    expect(json.transport.mtaSts).toMatchObject({ status: 'valid', mode: 'enforce' });
    expect(json.transport.dane.map((d: { status: string }) => d.status)).toEqual(['valid', 'valid', 'valid']);
    // One time-out (SRV, TXT and MX wait on it together), not one per phase; then the process ends.
    expect(run.ms).toBeLessThan(2 * timeout);
  });

  test('the resolver\'s certificate must be trusted: without --ca it is a resolver failure', async () => {
    const run = await cli('alice@example.test', '--doh', doh);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/network/);
  });
});
