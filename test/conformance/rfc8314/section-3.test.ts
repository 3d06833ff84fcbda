// RFC 8314 §3 (implicit TLS) and the protocols' own STARTTLS (RFC 9051 §6.2.1, RFC 2595 §4, RFC 3207 §4): the
// probe's dialogue with a scripted server at the platform's socket boundary. No credential is ever sent.
import { describe, expect, test } from 'vitest';
import type { Connect, ConnectRequest, TlsFacts } from '../../../src/core/probe/connection.ts';
import { probeServer, type ProbeTarget } from '../../../src/core/probe/probe-server.ts';

const TLS: TlsFacts = { version: 'TLSv1.3', authorized: true, error: null, userException: false, chain: [] };

/** A server that answers each command (matched on its verb, after an IMAP tag) with scripted lines. */
function scripted(greeting: string[], replies: Record<string, string[]>, { plainOnTls = false } = {}) {
  const sent: string[] = [];
  const requests: ConnectRequest[] = [];
  const connect: Connect = async (request) => {
    requests.push(request);
    if (request.tls && plainOnTls) return { ok: false, reason: 'tls-handshake-failed', detail: 'wrong version number' };
    const queue = [...greeting];
    return {
      ok: true,
      tls: request.tls ? TLS : null,
      connection: {
        readLine: async () => {
          const line = queue.shift();
          return line === undefined ? { ok: false, reason: 'closed', detail: 'closed' } : { ok: true, line };
        },
        writeLine: async (line) => {
          sent.push(line);
          const [first = '', second = ''] = line.split(' ');
          const tag = /^p\d$/.test(first) ? first : '';
          const verb = tag === '' ? first : second;
          queue.push(...(replies[verb] ?? []).map((r) => r.replace('$TAG', tag)));
        },
        startTls: async () => ({ ok: true, tls: TLS }),
        close: () => undefined,
      },
    };
  };
  return { connect, sent, requests };
}

const target = (protocol: ProbeTarget['protocol'], security: ProbeTarget['security']): ProbeTarget =>
  ({ protocol, security, hostname: 'mail.example.org', port: 1 });
const timeout = (): AbortSignal => new AbortController().signal;
const CREDENTIAL_COMMANDS = /^(p\d )?(LOGIN|AUTHENTICATE|AUTH|USER|PASS|APOP)\b/i;

describe('RFC 8314 §3: the probe dialogues', () => {
  test.each([
    {
      name: 'RFC 8314 §3.1 / RFC 9051 §7.2.2: IMAP over implicit TLS reads CAPABILITY, then LOGOUT',
      target: target('imap', 'tls'),
      greeting: ['* OK ready'],
      replies: { CAPABILITY: ['* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=OAUTHBEARER', '$TAG OK done'], LOGOUT: ['* BYE', '$TAG OK'] },
      expected: { ok: true, learnt: { starttls: null, auth: ['PLAIN', 'OAUTHBEARER'] } },
      sent: ['p1 CAPABILITY', 'p9 LOGOUT'],
    },
    {
      name: 'RFC 9051 §6.2.1: IMAP STARTTLS; capabilities read again under TLS; LOGINDISABLED shown',
      target: target('imap', 'starttls'),
      greeting: ['* OK ready'],
      replies: {
        CAPABILITY: ['* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED AUTH=PLAIN', '$TAG OK done'],
        STARTTLS: ['$TAG OK go'],
      },
      expected: { ok: true, learnt: { starttls: 'offered', auth: ['PLAIN', 'LOGINDISABLED'] } },
      sent: ['p1 CAPABILITY', 'p2 STARTTLS', 'p3 CAPABILITY', 'p9 LOGOUT'],
    },
    {
      name: 'RFC 9051 §7.1: capabilities in the greeting save the first CAPABILITY; they are asked again under TLS',
      target: target('imap', 'starttls'),
      greeting: ['* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready'],
      replies: { CAPABILITY: ['* CAPABILITY IMAP4rev1 AUTH=PLAIN', '$TAG OK done'], STARTTLS: ['$TAG OK go'] },
      expected: { ok: true, learnt: { starttls: 'offered', auth: ['PLAIN'] } },
      sent: ['p2 STARTTLS', 'p3 CAPABILITY', 'p9 LOGOUT'],
    },
    {
      name: 'RFC 9051 §6.2.1: an IMAP server without STARTTLS fails the _imap label',
      target: target('imap', 'starttls'),
      greeting: ['* OK ready'],
      replies: { CAPABILITY: ['* CAPABILITY IMAP4rev1 AUTH=PLAIN', '$TAG OK done'] },
      expected: { ok: false, reason: 'probe-starttls-missing', learnt: { starttls: 'missing' } },
      sent: ['p1 CAPABILITY', 'p9 LOGOUT'],
    },
    {
      name: 'RFC 9051 §7.1.5: an IMAP BYE greeting is a refusal',
      target: target('imap', 'tls'),
      greeting: ['* BYE too busy'],
      replies: {},
      expected: { ok: false, reason: 'probe-server-refused' },
      sent: [],
    },
    {
      name: 'RFC 9051 §7.1: garbage instead of a greeting',
      target: target('imap', 'tls'),
      greeting: ['\u0000\u00ff junk'],
      replies: {},
      expected: { ok: false, reason: 'probe-bad-greeting' },
      sent: [],
    },
    {
      name: 'RFC 2449 §5 / RFC 5034 §3 / RFC 2449 §6.3: POP3 CAPA with SASL mechanisms and USER, then QUIT',
      target: target('pop3', 'tls'),
      greeting: ['+OK ready'],
      replies: { CAPA: ['+OK', 'TOP', 'SASL PLAIN XOAUTH2', 'USER', '.'] },
      expected: { ok: true, learnt: { auth: ['PLAIN', 'XOAUTH2', 'USER'] } },
      sent: ['CAPA', 'QUIT'],
    },
    {
      name: 'RFC 2595 §4: POP3 STLS offered in CAPA; CAPA again under TLS',
      target: target('pop3', 'starttls'),
      greeting: ['+OK ready'],
      replies: { CAPA: ['+OK', 'STLS', 'SASL PLAIN', '.'], STLS: ['+OK begin'] },
      expected: { ok: true, learnt: { starttls: 'offered', auth: ['PLAIN'] } },
      sent: ['CAPA', 'STLS', 'CAPA', 'QUIT'],
    },
    {
      name: 'RFC 2595 §4: a POP3 server without CAPA is asked STLS directly; -ERR means STARTTLS is missing',
      target: target('pop3', 'starttls'),
      greeting: ['+OK ready'],
      replies: { CAPA: ['-ERR unknown'], STLS: ['-ERR unknown'] },
      expected: { ok: false, reason: 'probe-starttls-missing', learnt: { starttls: 'missing' } },
      sent: ['CAPA', 'STLS', 'QUIT'],
    },
    {
      name: 'RFC 5321 §4.2 / RFC 4954 §3: a multi-line SMTP greeting, EHLO with AUTH (and the old AUTH= form)',
      target: target('smtp', 'tls'),
      greeting: ['220-mail.example.org', '220 ESMTP'],
      replies: { EHLO: ['250-mail.example.org', '250-AUTH PLAIN LOGIN', '250-AUTH=PLAIN LOGIN', '250 SIZE 1000'] },
      expected: { ok: true, learnt: { auth: ['PLAIN', 'LOGIN'] } },
      sent: ['EHLO [127.0.0.1]', 'QUIT'],
    },
    {
      name: 'RFC 3207 §4.2: SMTP STARTTLS, then EHLO again under TLS',
      target: target('smtp', 'starttls'),
      greeting: ['220 ready'],
      replies: { EHLO: ['250-mail.example.org', '250-STARTTLS', '250 AUTH PLAIN'], STARTTLS: ['220 go ahead'] },
      expected: { ok: true, learnt: { starttls: 'offered', auth: ['PLAIN'] } },
      sent: ['EHLO [127.0.0.1]', 'STARTTLS', 'EHLO [127.0.0.1]', 'QUIT'],
    },
    {
      name: 'RFC 5321 §3.1: a 554 greeting is a refusal',
      target: target('smtp', 'tls'),
      greeting: ['554 go away'],
      replies: {},
      expected: { ok: false, reason: 'probe-server-refused' },
      sent: ['QUIT'],
    },
  ])('$name', async ({ target: t, greeting, replies, expected, sent }) => {
    const server = scripted(greeting, replies);
    const result = await probeServer(t, server.connect, 1000, timeout);
    expect(result).toMatchObject(expected);
    expect(server.sent).toEqual(sent);
    expect(server.sent.filter((l) => CREDENTIAL_COMMANDS.test(l))).toEqual([]);
    expect(server.requests[0]).toMatchObject({ tls: t.security === 'tls', host: 'mail.example.org' });
  });

  test('RFC 8314 §3.1: a handshake that fails on a server greeting in plain text is named as such', async () => {
    const server = scripted(['* OK plain text'], {}, { plainOnTls: true });
    const result = await probeServer(target('imap', 'tls'), server.connect, 1000, timeout);
    expect(result).toMatchObject({ ok: false, reason: 'probe-plaintext-on-tls-port' });
    expect(server.requests.map((r) => r.tls)).toEqual([true, false]);
  });

  test('RFC 8314 §3.1: a handshake failure on a server that is silent in plain text stays a TLS failure', async () => {
    const server = scripted([], {}, { plainOnTls: true });
    const result = await probeServer(target('imap', 'tls'), server.connect, 1000, timeout);
    expect(result).toMatchObject({ ok: false, reason: 'probe-tls-failed' });
  });

  test('RFC 8314 §3: a server that never answers is cut off by the time limit, whatever the socket does', async () => {
    const controller = new AbortController();
    const hanging: Connect = async () => ({
      ok: true,
      tls: TLS,
      connection: {
        readLine: () => new Promise(() => undefined),
        writeLine: async () => undefined,
        startTls: () => new Promise(() => undefined),
        close: () => undefined,
      },
    });
    const probing = probeServer(target('imap', 'tls'), hanging, 1000, () => controller.signal);
    controller.abort();
    expect(await probing).toMatchObject({ ok: false, reason: 'probe-timeout' });
  });
});
