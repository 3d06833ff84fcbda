import { describe, expect, test } from 'vitest';
import { followCname, MAX_CNAME_HOPS } from '../../../src/core/dns/follow-cname.ts';
import type { ResourceRecord } from '../../../src/core/dns/wire.ts';

const cname = (name: string, target: string): ResourceRecord => ({ name, ttl: 60, data: { type: 'CNAME', target } });
const srv = (name: string, target: string): ResourceRecord => ({ name, ttl: 60, data: { type: 'SRV', priority: 0, weight: 0, port: 993, target } });

describe('followCname: RFC 1034 §3.6.2 chains inside one answer', () => {
  test('direct records need no chain', () => {
    expect(followCname([srv('q.test', 'a.test')], 'q.test', 'SRV')).toEqual({ ok: true, name: 'q.test', records: [srv('q.test', 'a.test')] });
  });

  test('a two-step chain ends at the records of the final name', () => {
    const answers = [cname('q.test', 'b.test'), cname('b.test', 'c.test'), srv('c.test', 'imap.test')];
    expect(followCname(answers, 'q.test', 'SRV')).toEqual({ ok: true, name: 'c.test', records: [srv('c.test', 'imap.test')] });
  });

  test('records for names off the chain are ignored (no injection by a stray RR)', () => {
    const answers = [cname('q.test', 'b.test'), srv('q2.test', 'evil.test'), srv('b.test', 'good.test')];
    expect(followCname(answers, 'q.test', 'SRV')).toMatchObject({ ok: true, records: [srv('b.test', 'good.test')] });
  });

  test('a chain ending nowhere is NODATA (empty list)', () => {
    expect(followCname([cname('q.test', 'b.test')], 'q.test', 'SRV')).toEqual({ ok: true, name: 'b.test', records: [] });
  });

  test('a loop is refused', () => {
    expect(followCname([cname('q.test', 'b.test'), cname('b.test', 'q.test')], 'q.test', 'SRV')).toMatchObject({ ok: false, reason: 'cname-loop' });
  });

  test(`a chain longer than ${MAX_CNAME_HOPS} hops is refused`, () => {
    const chain = Array.from({ length: MAX_CNAME_HOPS + 1 }, (_, i) => cname(`n${i}.test`, `n${i + 1}.test`));
    expect(followCname([...chain, srv(`n${MAX_CNAME_HOPS + 1}.test`, 'x.test')], 'n0.test', 'SRV')).toMatchObject({ ok: false, reason: 'cname-loop' });
    expect(followCname([...chain.slice(1), srv(`n${MAX_CNAME_HOPS + 1}.test`, 'x.test')], 'n1.test', 'SRV')).toMatchObject({ ok: true });
  });
});
