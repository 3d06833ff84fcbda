// RFC 8314 §5.1: _submissions and implicit TLS are preferred over STARTTLS for the same protocol.
import { describe, expect, test } from 'vitest';
import { SERVICE_LABELS } from '../../../src/core/discovery/service-labels.ts';
import { srv } from '../../support/fake-resolver.ts';
import { discoverIn } from '../../support/discovery.ts';

const D = 'example.test';

describe('RFC 8314 §5.1', () => {
  test('RFC 8314 §5.1: on a priority tie, implicit TLS is chosen over STARTTLS (incoming and outgoing)', async () => {
    const result = await discoverIn([
      srv(`_imap._tcp.${D}`, 0, 1, 143, `mail.${D}`),
      srv(`_imaps._tcp.${D}`, 0, 1, 993, `mail.${D}`),
      srv(`_submission._tcp.${D}`, 0, 1, 587, `mail.${D}`),
      srv(`_submissions._tcp.${D}`, 0, 1, 465, `mail.${D}`),
    ]);
    expect(result.incoming).toMatchObject({ port: 993, security: 'tls', service: '_imaps._tcp' });
    expect(result.outgoing).toMatchObject({ port: 465, security: 'tls', service: '_submissions._tcp' });
    expect(result.alternatives.map((s) => [s.port, s.security])).toEqual([[143, 'starttls'], [587, 'starttls']]);
    expect(result.badge.level).toBe('tls');
  });

  test('RFC 8314 §5.1: implicit TLS is preferred even when the STARTTLS record has the lower priority value', async () => {
    const result = await discoverIn([
      srv(`_pop3._tcp.${D}`, 0, 1, 110, `pop.${D}`),
      srv(`_pop3s._tcp.${D}`, 20, 1, 995, `pop.${D}`),
      srv(`_submission._tcp.${D}`, 0, 1, 587, `smtp.${D}`),
      srv(`_submissions._tcp.${D}`, 20, 1, 465, `smtp.${D}`),
    ]);
    expect(result.incoming).toMatchObject({ protocol: 'pop3', port: 995, security: 'tls' });
    expect(result.outgoing).toMatchObject({ port: 465, security: 'tls' });
  });

  test('RFC 8314 §5.1: STARTTLS-only services are configured as STARTTLS (required), never plain', async () => {
    const result = await discoverIn([srv(`_imap._tcp.${D}`, 0, 1, 143, `mail.${D}`), srv(`_submission._tcp.${D}`, 0, 1, 587, `mail.${D}`)]);
    expect(result.incoming?.security).toBe('starttls');
    expect(result.outgoing?.security).toBe('starttls');
    expect(result.badge).toMatchObject({ level: 'starttls', reasons: expect.arrayContaining(['incoming-starttls', 'outgoing-starttls']) });
  });

  test('RFC 8314 §5.1: the six labels queried are _submissions, _submission, _imaps, _imap, _pop3s, _pop3 (no _smtps)', async () => {
    const result = await discoverIn([]);
    const queried = result.resolver.calls.map((c) => c.name).sort();
    expect(queried).toEqual(['_imap', '_imaps', '_pop3', '_pop3s', '_submission', '_submissions'].map((l) => `${l}._tcp.${D}`).sort());
    expect(result.resolver.calls.every((c) => c.type === 'SRV')).toBe(true);
    expect(SERVICE_LABELS.filter((s) => s.security === 'tls').map((s) => s.label)).toEqual([
      '_submissions._tcp',
      '_imaps._tcp',
      '_pop3s._tcp',
    ]);
  });
});
