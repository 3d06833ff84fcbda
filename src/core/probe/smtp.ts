// The submission probe (RFC 5321 §4.1.1.1 EHLO, RFC 3207 STARTTLS, RFC 4954 §3 AUTH keyword): greeting,
// EHLO, STARTTLS on the `_submission` label, EHLO again under TLS, QUIT. Never AUTH, MAIL or RCPT.
import { failed, MAX_REPLY_LINES, quote, type Dialogue, type Learnt, type Session, type Step } from './dialogue.ts';

/** RFC 5321 §4.2.1: `250-…` lines continue, `250 …` ends the reply; returns the code and the text lines. */
async function reply(s: Session): Promise<Step<{ code: string; lines: string[] }>> {
  const lines: string[] = [];
  for (let i = 0; i < MAX_REPLY_LINES; i++) {
    const line = await s.read();
    if (!line.ok) return line;
    const match = /^(\d{3})([ -]|$)(.*)$/.exec(line.value);
    if (match === null) return { ok: false, reason: 'probe-bad-response', detail: quote(line.value) };
    lines.push(match[3]!.toUpperCase());
    if (match[2] !== '-') return { ok: true, value: { code: match[1]!, lines } };
  }
  return { ok: false, reason: 'probe-response-too-long', detail: `more than ${MAX_REPLY_LINES} reply lines` };
}

/** RFC 4954 §3: `AUTH PLAIN LOGIN …` (and the old `AUTH=` form some servers still send). */
const authOf = (lines: readonly string[]): string[] => [
  ...new Set(lines.flatMap((l) => (/^AUTH[ =]/.test(l) ? l.slice(5).trim().split(/\s+/) : []))),
];

// RFC 5321 §4.1.4: an address literal when the client has no meaningful name of its own.
const EHLO = 'EHLO [127.0.0.1]';

export const probeSmtp: Dialogue = async (s, starttls, learnt: Learnt) => {
  const greeting = await reply(s);
  if (!greeting.ok) {
    return failed(greeting.reason === 'probe-bad-response' ? 'probe-bad-greeting' : greeting.reason, greeting.detail, learnt);
  }
  if (greeting.value.code === '554') return quit(s, failed('probe-server-refused', `554 ${quote(greeting.value.lines[0] ?? '')}`, learnt));
  if (greeting.value.code !== '220') return failed('probe-bad-greeting', greeting.value.code, learnt);
  await s.write(EHLO);
  const first = await reply(s);
  if (!first.ok) return failed(first.reason, first.detail, learnt);
  if (first.value.code !== '250') return quit(s, failed('probe-bad-response', `EHLO: ${first.value.code}`, learnt));
  let keywords = first.value.lines.slice(1);
  if (starttls) {
    learnt.starttls = keywords.some((k) => /^STARTTLS\b/.test(k)) ? 'offered' : 'missing';
    if (learnt.starttls === 'missing') return quit(s, failed('probe-starttls-missing', 'EHLO has no STARTTLS', learnt));
    await s.write('STARTTLS');
    const ready = await reply(s);
    if (!ready.ok) return failed(ready.reason, ready.detail, learnt);
    if (ready.value.code !== '220') return quit(s, failed('probe-starttls-refused', `STARTTLS: ${ready.value.code}`, learnt));
    const tls = await s.startTls();
    if (!tls.ok) return failed(tls.reason, tls.detail, learnt);
    learnt.tls = tls.value;
    // RFC 3207 §4.2: the client discards what it knew and sends EHLO again.
    await s.write(EHLO);
    const again = await reply(s);
    if (!again.ok) return failed(again.reason, again.detail, learnt);
    if (again.value.code !== '250') return quit(s, failed('probe-bad-response', `EHLO: ${again.value.code}`, learnt));
    keywords = again.value.lines.slice(1);
  }
  learnt.auth = authOf(keywords);
  return quit(s, { ok: true, learnt });
};

async function quit<T>(s: Session, outcome: T): Promise<T> {
  await s.write('QUIT');
  return outcome;
}
