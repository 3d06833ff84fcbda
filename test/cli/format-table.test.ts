// The CLI table's transport lines: a check that could not be made says so (never "broken"), and an
// RFC 8461 §3.3 cached policy is shown as cached with why the live check failed.
import { describe, expect, test } from 'vitest';
import { formatTable } from '../../src/cli/format-table.ts';
import { transportReasons } from '../../src/core/verdict/badge.ts';
import type { Transport } from '../../src/core/transport/index.ts';
import { srv } from '../support/fake-resolver.ts';
import { discoverIn } from '../support/discovery.ts';

async function tableWith(transport: Transport): Promise<string> {
  const found = await discoverIn([
    srv('_imaps._tcp.example.test', 0, 1, 993, 'imap.example.test'),
    srv('_submissions._tcp.example.test', 0, 1, 465, 'smtp.example.test'),
  ]);
  return formatTable({ ...found, transport, badge: { ...found.badge, reasons: [...found.badge.reasons, ...transportReasons(transport)] } });
}

describe('formatTable transport lines', () => {
  test('failed look-ups are "could not be checked", never "published but broken"', async () => {
    const table = await tableWith({
      mtaSts: { status: 'error', reason: 'mta-sts-lookup-failed', detail: 'SERVFAIL for _mta-sts.example.test' },
      tlsRpt: { status: 'error', reason: 'tls-rpt-lookup-failed', detail: 'SERVFAIL for _smtp._tls.example.test' },
      dane: [{ host: 'smtp.example.test', port: 25, source: 'mx', status: 'error', reason: 'dane-lookup-failed', detail: 'SERVFAIL' }],
    });
    expect(table).toContain(
      'MTA-STS   could not be checked: The _mta-sts TXT record could not be looked up. [SERVFAIL for _mta-sts.example.test]',
    );
    expect(table).toContain('TLS-RPT   could not be checked: The TLS-RPT record could not be looked up.');
    expect(table).toContain('_25._tcp.smtp.example.test: could not be checked: The TLSA records could not be looked up. [SERVFAIL]');
    expect(table).toContain('- MTA-STS could not be checked');
    expect(table).not.toMatch(/broken|unusable/);
  });

  test('RFC 8461 §3.3: a cached policy applied while the TXT record is gone is marked cached, with the live outcome', async () => {
    const table = await tableWith({
      mtaSts: {
        status: 'valid',
        id: '1',
        mode: 'enforce',
        maxAge: 86400,
        mx: ['smtp.example.test'],
        mxHosts: ['smtp.example.test'],
        mxMismatch: [],
        fromCache: true,
        live: { status: 'absent' },
      },
      tlsRpt: { status: 'absent' },
      dane: [{ host: 'mx.example.test', port: 25, source: 'mx', status: 'valid', tlsaBase: 'mx.provider.test', records: [] }],
    });
    expect(table).toContain('MTA-STS   mode enforce, max_age 86400, mx smtp.example.test, id 1');
    expect(table).toMatch(/ {12}The live MTA-STS check failed, so sending servers apply the policy they cached earlier/);
    expect(table).toContain('            live check: absent');
    expect(table).toContain('_25._tcp.mx.example.test (CNAME → _25._tcp.mx.provider.test): valid');
  });
});
