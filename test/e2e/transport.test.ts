// The transport checks against the real test resolver (signed and unsigned zones) and the real
// HTTPS policy server (127.0.0.1:443, certificates from the test CA), one case per RFC section.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { createNodePlatform } from '../../src/cli/platform.ts';
import { parseHostname, type Hostname } from '../../src/core/address/parse-hostname.ts';
import type { Fetch, Platform } from '../../src/core/platform.ts';
import { startTransportChecks, type Transport } from '../../src/core/transport/index.ts';
import { memoryStorage } from '../support/memory-storage.ts';

const doh = { resolvers: [inject('dohUrl')], method: 'GET' as const, timeoutMs: 4000 };
const node = createNodePlatform(inject('caFile'), doh);
afterAll(() => node.close());

function host(name: string): Hostname {
  const parsed = parseHostname(name);
  if (!parsed.ok) throw new Error(name);
  return parsed.hostname;
}

async function transportOf(domain: string, platform: Platform = node.platform): Promise<Transport> {
  return startTransportChecks(host(domain), doh, platform).finish([]);
}

describe('RFC 8461 MTA-STS against the real resolver and policy server', () => {
  test('RFC 8461 §3.2: a valid enforce policy (CRLF lines), every MX host matched', async () => {
    expect((await transportOf('enforce.sts.test')).mtaSts).toEqual({
      status: 'valid', id: '2026112301', mode: 'enforce', maxAge: 604800,
      mx: ['mx.enforce.sts.test', 'backup.enforce.sts.test'],
      mxHosts: ['mx.enforce.sts.test', 'backup.enforce.sts.test'], mxMismatch: [], fromCache: false,
    });
  });

  test('RFC 8461 §4.1: testing mode with a wildcard mx matching one label; TXT split into two strings (§3.1)', async () => {
    expect((await transportOf('testing.sts.test')).mtaSts).toMatchObject({
      status: 'valid',
      id: 'abc123',
      mode: 'testing',
      mx: ['*.testing.sts.test'],
      mxHosts: ['mail.testing.sts.test'],
      mxMismatch: [],
    });
  });

  test('RFC 8461 §3.2: mode none needs no mx, and a last line without newline is read', async () => {
    expect((await transportOf('off.sts.test')).mtaSts).toMatchObject({ status: 'valid', mode: 'none', mx: [], maxAge: 86400 });
  });

  test.each([
    { domain: 'redirect.sts.test', status: 'invalid', reason: 'mta-sts-redirect', section: '§3.3 (redirects are not followed)' },
    { domain: 'html.sts.test', status: 'invalid', reason: 'mta-sts-content-type', section: '§3.3 (text/plain only)' },
    { domain: 'big.sts.test', status: 'invalid', reason: 'mta-sts-too-large', section: '§3.3 (size-bounded fetch)' },
    { domain: 'badcert.sts.test', status: 'error', reason: 'mta-sts-fetch-failed', section: '§3.3 (certificate valid for the host)' },
    { domain: 'nomx.sts.test', status: 'invalid', reason: 'mta-sts-mx-missing', section: '§3.2 (mx required unless mode none)' },
    { domain: 'maxage.sts.test', status: 'invalid', reason: 'mta-sts-max-age', section: '§3.2 (max_age at most 31557600)' },
    { domain: 'twotxt.sts.test', status: 'invalid', reason: 'mta-sts-txt-multiple', section: '§3.1 (two v=STSv1 records)' },
    { domain: 'badid.sts.test', status: 'invalid', reason: 'mta-sts-txt-syntax', section: '§3.1 (id is 1-32 letters or digits)' },
  ])('RFC 8461 $section: $domain is $status ($reason), never protection', async ({ domain, status, reason }) => {
    const { mtaSts } = await transportOf(domain);
    expect(mtaSts).toMatchObject({ status, reason });
    expect(mtaSts.status === 'valid').toBe(false);
  });

  test('RFC 8461 §3.3: the wrong certificate is reported with the TLS error', async () => {
    const { mtaSts } = await transportOf('badcert.sts.test');
    expect(mtaSts.status === 'error' && mtaSts.detail).toMatch(/mta-sts\.badcert\.sts\.test.*(altname|Hostname|certificate)/i);
  });

  test('RFC 8461 §3.1: a tab between TXT record fields is white space; a NUL in a value is invalid, shown escaped', async () => {
    expect((await transportOf('tab.sts.test')).mtaSts).toMatchObject({ status: 'valid', id: 'tab1', mode: 'enforce' });
    expect((await transportOf('nul.sts.test')).mtaSts).toEqual({
      status: 'invalid',
      reason: 'mta-sts-txt-syntax',
      detail: 'v=STSv1; id=1; x=a\\000b;',
    });
  });

  test('RFC 8461 §4.1: an MX host outside the mx patterns is reported as a mismatch', async () => {
    expect((await transportOf('mismatch.sts.test')).mtaSts).toMatchObject({
      status: 'valid',
      mode: 'enforce',
      mxHosts: ['mail.elsewhere.test'],
      mxMismatch: ['mail.elsewhere.test'],
    });
  });

  test('no _mta-sts record: absent, and no policy fetch is tried', async () => {
    let fetched = 0;
    const counting: Fetch = (url, request) => { fetched++; return node.platform.fetchPolicy(url, request); };
    expect((await transportOf('none.test', { ...node.platform, fetchPolicy: counting })).mtaSts).toEqual({ status: 'absent' });
    expect(fetched).toBe(0);
  });

  test('RFC 8461 §5.1: the policy is cached by id for max_age; a changed id fetches it again', async () => {
    let fetched = 0;
    const storage = memoryStorage();
    const platform: Platform = {
      ...node.platform,
      storage,
      fetchPolicy: (url, request) => {
        fetched++;
        return node.platform.fetchPolicy(url, request);
      },
    };
    // A policy cached under an older id: the TXT record's id differs, so it must be fetched anew.
    await storage.set('mta-sts:enforce.sts.test', {
      id: 'old1',
      policy: { mode: 'testing', maxAge: 86400, mx: ['stale.test'] },
      expiresAt: Date.now() + 86_400_000,
    });
    expect((await transportOf('enforce.sts.test', platform)).mtaSts).toMatchObject({ status: 'valid', mode: 'enforce', fromCache: false });
    expect(fetched).toBe(1);
    expect((await transportOf('enforce.sts.test', platform)).mtaSts).toMatchObject({ status: 'valid', mode: 'enforce', fromCache: true });
    expect(fetched).toBe(1);
  });
});

describe('RFC 8460 TLS-RPT against the real resolver', () => {
  test('RFC 8460 §3: mailto: and https: report URIs', async () => {
    expect((await transportOf('enforce.sts.test')).tlsRpt).toEqual({
      status: 'valid',
      rua: ['mailto:tlsrpt@enforce.sts.test', 'https://reports.enforce.sts.test/tlsrpt'],
    });
  });

  test.each([
    { domain: 'badrpt.sts.test', reason: 'tls-rpt-bad-uri', what: 'an ftp: URI' },
    { domain: 'httprpt.sts.test', reason: 'tls-rpt-bad-uri', what: 'a plain http: URI' },
    { domain: 'tworpt.sts.test', reason: 'tls-rpt-multiple', what: 'two records' },
    { domain: 'norua.sts.test', reason: 'tls-rpt-no-rua', what: 'no rua' },
  ])('RFC 8460 §3: $what is invalid ($reason)', async ({ domain, reason }) => {
    expect((await transportOf(domain)).tlsRpt).toMatchObject({ status: 'invalid', reason });
  });

  test('RFC 8460 §3: a tab between the fields of the real TXT record is white space; a NUL in a value is invalid', async () => {
    expect((await transportOf('tab.sts.test')).tlsRpt).toEqual({ status: 'valid', rua: ['mailto:tlsrpt@tab.sts.test'] });
    expect((await transportOf('nul.sts.test')).tlsRpt).toEqual({
      status: 'invalid',
      reason: 'tls-rpt-syntax',
      detail: 'v=TLSRPTv1; x=a\\000b; rua=mailto:tlsrpt@nul.sts.test',
    });
  });

  test('RFC 8460 §3: no record is absent', async () => {
    expect((await transportOf('none.test')).tlsRpt).toEqual({ status: 'absent' });
  });
});

describe('DANE against the real resolver', () => {
  test('RFC 7672 §2.2: TLSA for the MX host on port 25, DNSSEC-validated, is valid', async () => {
    expect((await transportOf('example.test')).dane).toEqual([
      {
        host: 'smtp.example.test',
        port: 25,
        source: 'mx',
        status: 'valid',
        records: [{ usage: 3, selector: 1, matchingType: 1, data: '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1' }],
      },
    ]);
  });

  test('RFC 7673 §3: TLSA for a chosen SRV target in a signed zone is valid; without DNSSEC it is insecure', async () => {
    const signed = await startTransportChecks(host('example.test'), doh, node.platform).finish([
      { host: 'imap.example.test', port: 993, dnssec: true, source: 'incoming' },
    ]);
    expect(signed.dane[0]).toMatchObject({ host: 'imap.example.test', port: 993, status: 'valid' });
    const unsigned = await startTransportChecks(host('plain.test'), doh, node.platform).finish([
      { host: 'mail.plain.test', port: 993, dnssec: false, source: 'incoming' },
    ]);
    expect(unsigned.dane[0]).toMatchObject({
      host: 'mail.plain.test',
      port: 993,
      status: 'insecure',
      records: [expect.objectContaining({ usage: 3 })],
    });
  });

  test('RFC 7673 §3: a validated TLSA under an SRV answer that was not validated is insecure', async () => {
    const result = await startTransportChecks(host('example.test'), doh, node.platform).finish([
      { host: 'imap.example.test', port: 993, dnssec: false, source: 'incoming' },
    ]);
    expect(result.dane[0]).toMatchObject({ status: 'insecure' });
  });

  test('RFC 7672 §2.2.2: an MX host whose CNAME leads to an unsigned address: its validated TLSA is insecure', async () => {
    expect((await transportOf('daneinsecure.sts.test')).dane).toEqual([
      {
        host: 'mx.daneinsecure.sts.test',
        port: 25,
        source: 'mx',
        status: 'insecure',
        reason: 'dane-address-insecure',
        records: [expect.objectContaining({ usage: 3 })],
      },
    ]);
  });

  test('RFC 7672 §2.2.2: a secure CNAME is expanded: the TLSA of its target counts', async () => {
    expect((await transportOf('daneexpand.sts.test')).dane).toEqual([
      {
        host: 'mx.daneexpand.sts.test',
        port: 25,
        source: 'mx',
        status: 'valid',
        tlsaBase: 'smtp.example.test',
        records: [expect.objectContaining({ usage: 3 })],
      },
    ]);
  });

  test('no TLSA is absent', async () => {
    const result = await startTransportChecks(host('pop.test'), doh, node.platform).finish([
      { host: 'mail.pop.test', port: 995, dnssec: true, source: 'incoming' },
    ]);
    expect(result.dane).toEqual([{ host: 'mail.pop.test', port: 995, source: 'incoming', status: 'absent' }]);
  });
});

describe('the Node policy fetch', () => {
  test('a policy host that accepts the connection and then says nothing is abandoned at the time-out', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    try {
      const request = { method: 'GET' as const, headers: {}, signal: AbortSignal.timeout(300), redirect: 'manual' as const, maxBytes: 100 };
      await expect(node.platform.fetchPolicy(`https://127.0.0.1:${port}/.well-known/mta-sts.txt`, request)).rejects.toThrow(/aborted/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
