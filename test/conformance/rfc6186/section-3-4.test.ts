// RFC 6186 §3.4: choosing between IMAP and POP3 by priority, and target "." = not offered.
import { describe, expect, test } from 'vitest';
import { srv } from '../../support/fake-resolver.ts';
import { discoverIn } from '../../support/discovery.ts';

const D = 'example.test';
const submissions = srv(`_submissions._tcp.${D}`, 0, 1, 465, `smtp.${D}`);

describe('RFC 6186 §3.4', () => {
  test('RFC 6186 §3.4: the protocol whose records carry the lower priority value wins (POP3 here)', async () => {
    const result = await discoverIn([
      submissions,
      srv(`_imaps._tcp.${D}`, 10, 1, 993, `imap.${D}`),
      srv(`_pop3s._tcp.${D}`, 5, 1, 995, `pop.${D}`),
    ]);
    expect(result.incoming).toMatchObject({ protocol: 'pop3', hostname: `pop.${D}`, port: 995 });
    expect(result.alternatives.map((s) => s.protocol)).toEqual(['imap']);
  });

  test('RFC 6186 §3.4: the protocol priority counts both labels of a protocol (STARTTLS IMAP at 0 beats POP3 at 5)', async () => {
    const result = await discoverIn([
      submissions,
      srv(`_imaps._tcp.${D}`, 10, 1, 993, `imap.${D}`),
      srv(`_imap._tcp.${D}`, 0, 1, 143, `imap.${D}`),
      srv(`_pop3s._tcp.${D}`, 5, 1, 995, `pop.${D}`),
    ]);
    expect(result.incoming).toMatchObject({ protocol: 'imap', port: 993, security: 'tls' });
  });

  test('RFC 6186 §3.4 leaves a tie in priority open; project policy: it goes to IMAP', async () => {
    const result = await discoverIn([
      submissions,
      srv(`_pop3s._tcp.${D}`, 3, 1, 995, `pop.${D}`),
      srv(`_imaps._tcp.${D}`, 3, 1, 993, `imap.${D}`),
    ]);
    expect(result.incoming).toMatchObject({ protocol: 'imap' });
  });

  test('RFC 6186 §3.4 compares priorities, not weights; tied, project policy (IMAP) wins even against a heavy POP3 record', async () => {
    const result = await discoverIn([
      submissions,
      srv(`_pop3s._tcp.${D}`, 0, 65535, 995, `pop.${D}`),
      srv(`_imaps._tcp.${D}`, 0, 0, 993, `imap.${D}`),
    ]);
    expect(result.incoming).toMatchObject({ protocol: 'imap' });
  });

  test('RFC 6186 §3.4: a sole record with target "." means not offered: reported, never used', async () => {
    const result = await discoverIn([submissions, srv(`_imaps._tcp.${D}`, 0, 0, 0, '.'), srv(`_pop3s._tcp.${D}`, 0, 1, 995, `pop.${D}`)]);
    expect(result.notOffered).toEqual(['_imaps._tcp']);
    expect(result.incoming).toMatchObject({ protocol: 'pop3' });
    expect([result.incoming, result.outgoing, ...result.alternatives].some((s) => s?.hostname === '.')).toBe(false);
  });

  test('RFC 6186 §3.4: only a sole "." is honoured; beside real targets it is skipped and the real ones used', async () => {
    const result = await discoverIn([submissions, srv(`_imaps._tcp.${D}`, 0, 0, 0, '.'), srv(`_imaps._tcp.${D}`, 0, 1, 993, `imap.${D}`)]);
    expect(result.notOffered).toEqual([]);
    expect(result.incoming).toMatchObject({ protocol: 'imap', hostname: `imap.${D}` });
  });

  test('RFC 6186 §3.4: everything not offered is "not published" with every label listed', async () => {
    const labels = ['_submissions._tcp', '_submission._tcp', '_imaps._tcp', '_imap._tcp', '_pop3s._tcp', '_pop3._tcp'];
    const result = await discoverIn(labels.map((l) => srv(`${l}.${D}`, 0, 0, 0, '.')));
    expect(result.status).toBe('not-published');
    expect([...result.notOffered].sort()).toEqual([...labels].sort());
    expect(result.badge.level).toBe('none');
  });
});
