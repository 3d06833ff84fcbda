// The POP3 probe (RFC 1939, RFC 2449 CAPA, RFC 2595 §4 STLS, RFC 5034 SASL): greeting, CAPA, STLS on the
// `_pop3` label, CAPA again under TLS, QUIT. Never USER, PASS, APOP or AUTH.
import { failed, MAX_REPLY_LINES, quote, type Dialogue, type Learnt, type Session, type Step } from './dialogue.ts';

/** RFC 2449 §5: `+OK` then one capability per line up to a line holding ".", or `-ERR`. */
async function capa(s: Session): Promise<Step<string[] | null>> {
  await s.write('CAPA');
  const status = await s.read();
  if (!status.ok) return status;
  if (!status.value.startsWith('+OK')) return { ok: true, value: null };
  const lines: string[] = [];
  for (let i = 0; i < MAX_REPLY_LINES; i++) {
    const line = await s.read();
    if (!line.ok) return line;
    if (line.value === '.') return { ok: true, value: lines };
    lines.push(line.value.toUpperCase());
  }
  return { ok: false, reason: 'probe-response-too-long', detail: `more than ${MAX_REPLY_LINES} lines in reply to CAPA` };
}

/** RFC 5034 §3: `SASL PLAIN OAUTHBEARER …`; RFC 2449 §6.3 USER (USER/PASS) shown beside them. */
const authOf = (caps: readonly string[] | null): string[] => [
  ...(caps ?? []).flatMap((c) => (c.startsWith('SASL ') ? c.slice(5).trim().split(/\s+/) : [])),
  ...(caps ?? []).filter((c) => c === 'USER'),
];

export const probePop3: Dialogue = async (s, starttls, learnt: Learnt) => {
  const greeting = await s.read();
  if (!greeting.ok) return failed(greeting.reason, greeting.detail, learnt);
  if (greeting.value.startsWith('-ERR')) return failed('probe-server-refused', quote(greeting.value), learnt);
  if (!greeting.value.startsWith('+OK')) return failed('probe-bad-greeting', quote(greeting.value), learnt);
  const first = await capa(s);
  if (!first.ok) return failed(first.reason, first.detail, learnt);
  let caps = first.value;
  if (starttls) {
    // RFC 2595 §4: STLS is advertised in CAPA; a server without CAPA is asked directly.
    if (caps !== null && !caps.includes('STLS')) {
      learnt.starttls = 'missing';
      return quit(s, failed('probe-starttls-missing', 'CAPA has no STLS', learnt));
    }
    await s.write('STLS');
    const reply = await s.read();
    if (!reply.ok) return failed(reply.reason, reply.detail, learnt);
    if (!reply.value.startsWith('+OK')) {
      learnt.starttls = 'missing';
      return quit(s, failed(caps === null ? 'probe-starttls-missing' : 'probe-starttls-refused', `STLS: ${quote(reply.value)}`, learnt));
    }
    learnt.starttls = 'offered';
    const tls = await s.startTls();
    if (!tls.ok) return failed(tls.reason, tls.detail, learnt);
    learnt.tls = tls.value;
    const again = await capa(s);
    if (!again.ok) return failed(again.reason, again.detail, learnt);
    caps = again.value;
  }
  learnt.auth = authOf(caps);
  return quit(s, { ok: true, learnt });
};

async function quit<T>(s: Session, outcome: T): Promise<T> {
  await s.write('QUIT');
  return outcome;
}
