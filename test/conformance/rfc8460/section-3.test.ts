// RFC 8460 §3: the TLS-RPT policy record.
import { Buffer } from 'node:buffer';
import { describe, expect, test } from 'vitest';
import { parseHostname, type Hostname } from '../../../src/core/address/parse-hostname.ts';
import { isTlsRptRecord, parseTlsRpt } from '../../../src/core/transport/parse-tls-rpt.ts';
import { checkTlsRpt } from '../../../src/core/transport/tls-rpt.ts';
import { fakeResolver, testPlatform } from '../../support/fake-resolver.ts';

describe('RFC 8460 §3', () => {
  test.each([
    { name: 'one mailto', text: 'v=TLSRPTv1; rua=mailto:reports@example.com', rua: ['mailto:reports@example.com'] },
    {
      name: 'mailto and https, trailing semicolon',
      text: 'v=TLSRPTv1;rua=mailto:a@example.com, https://r.example.com/v1/tlsrpt;',
      rua: ['mailto:a@example.com', 'https://r.example.com/v1/tlsrpt'],
    },
    { name: 'percent-encoded mailto', text: 'v=TLSRPTv1; rua=mailto:tls%2Brpt@example.com', rua: ['mailto:tls%2Brpt@example.com'] },
    {
      name: 'https with a port and query',
      text: 'v=TLSRPTv1; rua=https://r.example.com:8443/x?y=1',
      rua: ['https://r.example.com:8443/x?y=1'],
    },
    { name: 'extension field', text: 'v=TLSRPTv1; ext=1; rua=mailto:a@example.com', rua: ['mailto:a@example.com'] },
  ])('RFC 8460 §3: $name', ({ text, rua }) => {
    expect(isTlsRptRecord(text)).toBe(true);
    expect(parseTlsRpt(text)).toEqual({ ok: true, rua });
  });

  test.each([
    { name: 'no rua', text: 'v=TLSRPTv1;', reason: 'tls-rpt-no-rua' },
    { name: 'http URI', text: 'v=TLSRPTv1; rua=http://r.example.com/', reason: 'tls-rpt-bad-uri' },
    { name: 'ftp URI', text: 'v=TLSRPTv1; rua=ftp://r.example.com/', reason: 'tls-rpt-bad-uri' },
    { name: 'mailto without @', text: 'v=TLSRPTv1; rua=mailto:reports', reason: 'tls-rpt-bad-uri' },
    { name: 'mailto with HTML', text: 'v=TLSRPTv1; rua=mailto:<b>bold</b>@example.com', reason: 'tls-rpt-bad-uri' },
    { name: 'https on an IP address', text: 'v=TLSRPTv1; rua=https://192.0.2.1/r', reason: 'tls-rpt-bad-uri' },
    { name: 'https with credentials', text: 'v=TLSRPTv1; rua=https://u:p@r.example.com/', reason: 'tls-rpt-bad-uri' },
    { name: 'empty URI in the list', text: 'v=TLSRPTv1; rua=mailto:a@example.com,', reason: 'tls-rpt-bad-uri' },
    { name: 'two rua fields', text: 'v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com', reason: 'tls-rpt-syntax' },
    { name: 'a field without =', text: 'v=TLSRPTv1; rua=mailto:a@example.com; junk', reason: 'tls-rpt-syntax' },
  ])('RFC 8460 §3: refuses $name ($reason)', ({ text, reason }) => {
    expect(parseTlsRpt(text)).toMatchObject({ ok: false, reason });
  });

  test.each(['v=TLSRPTv2; rua=mailto:a@example.com', 'v=STSv1; id=1;', 'rua=mailto:a@example.com'])(
    'RFC 8460 §3: %j is not a TLS-RPT record',
    (text) => {
      expect(isTlsRptRecord(text)).toBe(false);
    },
  );
});

/** checkTlsRpt with the `_smtp._tls` TXT record given as raw octets. */
function withTxt(octets: number[]) {
  const domain = (parseHostname('example.test') as { hostname: Hostname }).hostname;
  const resolver = fakeResolver((name, type) => (name === '_smtp._tls.example.test' && type === 'TXT'
    ? { ad: true, answers: [{ name, type: 'TXT', data: [Buffer.from(octets)] }] }
    : undefined));
  const options = { resolvers: ['https://r.example/dns-query'], method: 'GET' as const, timeoutMs: 1000 };
  return checkTlsRpt({ domain, options, platform: testPlatform(resolver.fetch) });
}

const octets = (text: string): number[] => [...Buffer.from(text, 'latin1')];

describe('RFC 8460 §3: the TXT record read from its octets', () => {
  test.each([
    { name: 'a tab after the version separator', octets: octets('v=TLSRPTv1;\trua=mailto:a@example.com') },
    {
      name: 'tabs around the separator and the comma',
      octets: octets('v=TLSRPTv1\t;\trua=mailto:a@example.com\t,\thttps://r.example.com/x\t;'),
    },
  ])('RFC 8460 §3: $name is white space (*WSP), the record is valid', async ({ octets: record }) => {
    expect(await withTxt(record)).toMatchObject({ status: 'valid', rua: expect.arrayContaining(['mailto:a@example.com']) });
  });

  const rua = 'rua=mailto:a@example.com';
  test.each([
    {
      name: 'a NUL in an extension value',
      octets: [...octets('v=TLSRPTv1; x=a'), 0, ...octets(`; ${rua}`)],
      shown: `v=TLSRPTv1; x=a\\000; ${rua}`,
    },
    {
      name: 'the octet 0xE9 in an extension value',
      octets: [...octets('v=TLSRPTv1; x=caf'), 0xe9, ...octets(`; ${rua}`)],
      shown: `v=TLSRPTv1; x=caf\\233; ${rua}`,
    },
    {
      name: 'a vertical tab before a field (not WSP)',
      octets: [...octets('v=TLSRPTv1;'), 0x0b, ...octets(rua)],
      shown: `v=TLSRPTv1;\\011${rua}`,
    },
    {
      name: 'a no-break space (0xA0) after the last field',
      octets: [...octets(`v=TLSRPTv1; ${rua}`), 0xa0],
      shown: 'mailto:a@example.com\\160',
      reason: 'tls-rpt-bad-uri',
    },
    { name: 'trailing white space after the last field', octets: octets(`v=TLSRPTv1; ${rua} `), shown: `v=TLSRPTv1; ${rua} ` },
  ])(
    'RFC 8460 §3: $name makes the record invalid (no policy), shown escaped',
    async ({ octets: record, shown, reason = 'tls-rpt-syntax' }) => {
      expect(await withTxt(record)).toEqual({ status: 'invalid', reason, detail: shown });
    },
  );
});
