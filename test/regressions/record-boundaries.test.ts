// Issue 15 (4): dns-packet advanced by what its HINFO decoder read, not by RDLENGTH, so a crafted
// answer gave an SRV port that no record of the message holds (RFC 1035 §3.2.1: RDLENGTH bounds RDATA).
import { describe, expect, test } from 'vitest';
import { decodeResponse } from '../../src/core/dns/wire.ts';
import { bytes, header, question, rr, srvRdata, wireName } from '../support/wire-builder.ts';

const QNAME = '_imaps._tcp.evil.test';
const HINFO = 13;
const PRIVATE_TYPE = 65280; // RFC 6895 §3.1: private use, which no decoder reads

/**
 * Three answers as RDLENGTH bounds them: an HINFO of one octet, the real SRV (port 993), a private
 * record. dns-packet's HINFO decoder takes that octet as a string length and swallows the SRV; it
 * then reads a hidden SRV (port 31337, target '.') and an A record out of the private RDATA.
 */
function hiddenSrvMessage(): Uint8Array {
  const realSrv = rr([0xc0, 12], 33, srvRdata(0, 1, 993, wireName('imap.evil.test')));
  const hidden = [...rr([0xc0, 12], 33, srvRdata(7, 7, 31337, [0])), ...rr([0xc0, 12], 1, [192, 0, 2, 1])];
  const privateRecord = rr([0xc0, 12], PRIVATE_TYPE, [0, ...hidden]);
  const swallowed = realSrv.length + privateRecord.length - hidden.length - 1;
  return bytes([...header({ an: 3 }), ...question(QNAME), ...rr([0xc0, 12], HINFO, [swallowed]), ...realSrv, ...privateRecord]);
}

describe('record boundaries come from RDLENGTH, for every type (RFC 1035 §3.2.1)', () => {
  test('an HINFO whose content runs past its RDLENGTH cannot shift the SRV that follows', () => {
    const result = decodeResponse(hiddenSrvMessage(), { name: QNAME, type: 'SRV' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const srvs = result.response.answers.filter((r) => r.data.type === 'SRV').map((r) => r.data);
    expect(srvs).toEqual([{ type: 'SRV', priority: 0, weight: 1, port: 993, target: 'imap.evil.test' }]);
    expect(result.response.answers.map((r) => r.data.type)).toEqual(['other', 'SRV', 'other']);
  });
});
