// RFC 8461 §3.1 through the DNS reader: the `_mta-sts` TXT record is parsed from its octets, so a
// tab is white space (*WSP) and bytes outside the grammar make the record invalid; people see escapes.
import { Buffer } from 'node:buffer';
import { describe, expect, test } from 'vitest';
import { parseHostname, type Hostname } from '../../../src/core/address/parse-hostname.ts';
import type { Fetch } from '../../../src/core/platform.ts';
import { checkMtaSts } from '../../../src/core/transport/mta-sts.ts';
import { fakeResolver, httpResponse, testPlatform } from '../../support/fake-resolver.ts';

const domain = (parseHostname('example.test') as { hostname: Hostname }).hostname;
const POLICY = 'version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 600\n';
const servePolicy: Fetch = async () => httpResponse(new TextEncoder().encode(POLICY), 200, 'text/plain');

/** checkMtaSts with the `_mta-sts` TXT record given as raw octets (one character string each). */
function withTxt(...strings: (string | number[])[]) {
  const data = strings.map((s) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s)));
  const resolver = fakeResolver((name, type) => (name === '_mta-sts.example.test' && type === 'TXT'
    ? { ad: true, answers: [{ name, type: 'TXT', data }] }
    : undefined));
  const options = { resolvers: ['https://r.example/dns-query'], method: 'GET' as const, timeoutMs: 1000 };
  const ctx = { domain, options, platform: testPlatform(resolver.fetch, { fetchPolicy: servePolicy }) };
  return checkMtaSts(ctx, Promise.resolve(['mx.example.test']));
}

const bytes = (text: string): number[] => [...Buffer.from(text, 'latin1')];

describe('RFC 8461 §3.1: the TXT record read from its octets', () => {
  test.each([
    { name: 'a tab after the version separator', strings: ['v=STSv1;\tid=1'] },
    { name: 'tabs around every separator', strings: ['v=STSv1;\tid=1\t;\text=v\t;\t'] },
    { name: 'a tab at a character-string boundary', strings: ['v=STSv1;', '\tid=1;'] },
    { name: 'white space after a final separator (sts-sep ends in *WSP)', strings: ['v=STSv1; id=1; '] },
    { name: 'a backslash, an ordinary octet of sts-ext-value', strings: ['v=STSv1; id=1; x=a\\b'] },
  ])('RFC 8461 §3.1: $name → the record is valid', async ({ strings }) => {
    expect(await withTxt(...strings)).toMatchObject({ status: 'valid', id: '1', mode: 'enforce' });
  });

  test.each([
    {
      name: 'a NUL in an extension value',
      octets: [...bytes('v=STSv1; id=1; x=a'), 0x00, ...bytes('b;')],
      shown: 'v=STSv1; id=1; x=a\\000b;',
    },
    {
      name: 'a DEL in an extension value',
      octets: [...bytes('v=STSv1; id=1; x=a'), 0x7f, ...bytes(';')],
      shown: 'v=STSv1; id=1; x=a\\127;',
    },
    { name: 'a tab inside an extension value', octets: bytes('v=STSv1; id=1; x=a\tb;'), shown: 'v=STSv1; id=1; x=a\\009b;' },
    { name: 'the octet 0xE9 in an extension value', octets: [...bytes('v=STSv1; id=1; x=caf'), 0xe9], shown: 'v=STSv1; id=1; x=caf\\233' },
    {
      name: 'UTF-8 in an extension value',
      octets: [...bytes('v=STSv1; id=1; x=caf'), 0xc3, 0xa9],
      shown: 'v=STSv1; id=1; x=caf\\195\\169',
    },
    { name: 'trailing white space after the last field', octets: bytes('v=STSv1; id=1 '), shown: 'v=STSv1; id=1 ' },
    { name: 'a trailing tab after the last field', octets: bytes('v=STSv1; id=1\t'), shown: 'v=STSv1; id=1\\009' },
    { name: 'a CR LF after the last field', octets: bytes('v=STSv1; id=1\r\n'), shown: 'v=STSv1; id=1\\013\\010' },
  ])('RFC 8461 §3.1: $name makes the record invalid (no policy), shown escaped', async ({ octets, shown }) => {
    expect(await withTxt(octets)).toEqual({ status: 'invalid', reason: 'mta-sts-txt-syntax', detail: shown });
  });
});
