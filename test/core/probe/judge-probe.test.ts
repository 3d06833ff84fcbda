import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { judgeProbe } from '../../../src/core/probe/judge-probe.ts';
import type { RawProbe } from '../../../src/core/probe/probe-server.ts';

// test/fixtures/probe/srv-id.der names imap.provider.test (README there); its notAfter is in 2053.
const leaf = new Uint8Array(readFileSync('test/fixtures/probe/srv-id.der'));
const NOW = Date.UTC(2026, 0, 1);
const tls = (authorized: boolean, error: string | null) =>
  ({ version: 'TLSv1.3', authorized, error, userException: false, chain: [leaf] });
const ctx = (hostname: string, now = NOW) => ({ hostname, domain: 'example.org', service: '_imaps._tcp', now });
/** Thunderbird stops the dialogue after a certificate it refused: the read fails, the TLS facts stay. */
const refusedThenFailed = (error: string): RawProbe => ({
  ok: false, reason: 'probe-tls-failed', detail: error, learnt: { tls: tls(false, error), starttls: null, auth: [] },
});

describe('judgeProbe: the certificate decides before a dialogue it cut short', () => {
  test.each([
    { name: 'RFC 6125 §6: untrusted issuer', raw: refusedThenFailed('SEC_ERROR_UNKNOWN_ISSUER'), host: 'imap.provider.test', now: NOW,
      reason: 'probe-certificate-untrusted' },
    { name: 'RFC 6125 §6.4: another name', raw: refusedThenFailed('SSL_ERROR_BAD_CERT_DOMAIN'), host: 'imap.other.test', now: NOW,
      reason: 'probe-certificate-name' },
    { name: 'RFC 5280 §4.1.2.5: expired', raw: refusedThenFailed('SEC_ERROR_EXPIRED_CERTIFICATE'), host: 'imap.provider.test',
      now: Date.UTC(2060, 0, 1), reason: 'probe-certificate-expired' },
  ])('$name: named as such, not as probe-tls-failed', async ({ raw, host, now, reason }) => {
    expect(await judgeProbe(raw, null, ctx(host, now))).toMatchObject({ status: 'failed', reason, certificate: { valid: false } });
  });

  test('a dialogue that failed over a valid certificate keeps its own reason', async () => {
    const raw: RawProbe = {
      ok: false,
      reason: 'probe-timeout',
      detail: 'slow',
      learnt: { tls: tls(true, null), starttls: null, auth: [] },
    };
    expect(await judgeProbe(raw, null, ctx('imap.provider.test'))).toMatchObject({ status: 'failed', reason: 'probe-timeout' });
  });
});
