import { describe, expect, test } from 'vitest';
import { followCname, MAX_CNAME_HOPS } from '../../../src/core/dns/follow-cname.ts';
import type { ResourceRecord } from '../../../src/core/dns/wire.ts';

const cname = (name: string, target: string): ResourceRecord => ({ name, ttl: 60, data: { type: 'CNAME', target } });
const srv = (name: string, target: string): ResourceRecord => ({
  name,
  ttl: 60,
  data: { type: 'SRV', priority: 0, weight: 0, port: 993, target },
});

describe('followCname: RFC 1034 §3.6.2 chains inside one answer', () => {
  test('direct records need no chain', () => {
    expect(followCname([srv('q.test', 'a.test')], 'q.test', 'SRV'))
      .toEqual({ ok: true, name: 'q.test', records: [srv('q.test', 'a.test')], aliases: ['q.test'], cnameTtl: null });
  });

  test('a two-step chain ends at the records of the final name', () => {
    const answers = [cname('q.test', 'b.test'), cname('b.test', 'c.test'), srv('c.test', 'imap.test')];
    expect(followCname(answers, 'q.test', 'SRV'))
      .toEqual({ ok: true, name: 'c.test', records: [srv('c.test', 'imap.test')], aliases: ['q.test', 'b.test', 'c.test'], cnameTtl: 60 });
  });

  test('records for names off the chain are ignored (no injection by a stray RR)', () => {
    const answers = [cname('q.test', 'b.test'), srv('q2.test', 'evil.test'), srv('b.test', 'good.test')];
    expect(followCname(answers, 'q.test', 'SRV')).toMatchObject({ ok: true, records: [srv('b.test', 'good.test')] });
  });

  test('a chain ending at a name the answer holds nothing for names that name (the caller asks for it)', () => {
    expect(followCname([cname('q.test', 'b.test')], 'q.test', 'SRV'))
      .toEqual({ ok: true, name: 'b.test', records: [], aliases: ['q.test', 'b.test'], cnameTtl: 60 });
  });

  test('RFC 2181 §10.1.1: the smallest CNAME TTL on the chain is reported', () => {
    const answers = [{ ...cname('q.test', 'b.test'), ttl: 30 }, cname('b.test', 'c.test'), srv('c.test', 'imap.test')];
    expect(followCname(answers, 'q.test', 'SRV')).toMatchObject({ ok: true, cnameTtl: 30 });
  });

  test('names met in earlier answers of the same lookup count for loops and hops', () => {
    const back = followCname([cname('b.test', 'q.test')], 'b.test', 'SRV', { seen: ['q.test'], hops: 1 });
    expect(back).toMatchObject({ ok: false, reason: 'cname-loop' });
    const tooFar = followCname([cname('b.test', 'c.test')], 'b.test', 'SRV', { seen: ['q.test'], hops: MAX_CNAME_HOPS });
    expect(tooFar).toMatchObject({ ok: false, reason: 'cname-loop' });
  });

  test('a loop is refused', () => {
    expect(followCname([cname('q.test', 'b.test'), cname('b.test', 'q.test')], 'q.test', 'SRV')).toMatchObject({
      ok: false,
      reason: 'cname-loop',
    });
  });

  test(`a chain longer than ${MAX_CNAME_HOPS} hops is refused`, () => {
    const chain = Array.from({ length: MAX_CNAME_HOPS + 1 }, (_, i) => cname(`n${i}.test`, `n${i + 1}.test`));
    expect(followCname([...chain, srv(`n${MAX_CNAME_HOPS + 1}.test`, 'x.test')], 'n0.test', 'SRV')).toMatchObject({
      ok: false,
      reason: 'cname-loop',
    });
    expect(followCname([...chain.slice(1), srv(`n${MAX_CNAME_HOPS + 1}.test`, 'x.test')], 'n1.test', 'SRV')).toMatchObject({ ok: true });
  });
});
