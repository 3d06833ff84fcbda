// RFC 8460 §3: the TLS-RPT policy record.
import { describe, expect, test } from 'vitest';
import { isTlsRptRecord, parseTlsRpt } from '../../../src/core/transport/parse-tls-rpt.ts';

describe('RFC 8460 §3', () => {
  test.each([
    { name: 'one mailto', text: 'v=TLSRPTv1; rua=mailto:reports@example.com', rua: ['mailto:reports@example.com'] },
    { name: 'mailto and https, trailing semicolon', text: 'v=TLSRPTv1;rua=mailto:a@example.com, https://r.example.com/v1/tlsrpt;', rua: ['mailto:a@example.com', 'https://r.example.com/v1/tlsrpt'] },
    { name: 'percent-encoded mailto', text: 'v=TLSRPTv1; rua=mailto:tls%2Brpt@example.com', rua: ['mailto:tls%2Brpt@example.com'] },
    { name: 'https with a port and query', text: 'v=TLSRPTv1; rua=https://r.example.com:8443/x?y=1', rua: ['https://r.example.com:8443/x?y=1'] },
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

  test.each(['v=TLSRPTv2; rua=mailto:a@example.com', 'v=STSv1; id=1;', 'rua=mailto:a@example.com'])('RFC 8460 §3: %j is not a TLS-RPT record', (text) => {
    expect(isTlsRptRecord(text)).toBe(false);
  });
});
