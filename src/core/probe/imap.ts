// The IMAP probe (RFC 9051 §7.1, RFC 3501 §6.2.1): greeting, CAPABILITY, STARTTLS on the `_imap` label,
// CAPABILITY again under TLS (AUTH= mechanisms, LOGINDISABLED), LOGOUT. Never LOGIN or AUTHENTICATE.
import { failed, MAX_REPLY_LINES, quote, type Dialogue, type Learnt, type Session, type Step } from './dialogue.ts';

interface Reply {
  readonly status: string;
  readonly untagged: readonly string[];
}

/** Untagged lines until the tagged completion (RFC 9051 §2.2.2). */
async function command(s: Session, tag: string, text: string): Promise<Step<Reply>> {
  await s.write(`${tag} ${text}`);
  const untagged: string[] = [];
  for (let i = 0; i < MAX_REPLY_LINES; i++) {
    const line = await s.read();
    if (!line.ok) return line;
    const status = line.value.startsWith(`${tag} `) ? line.value.slice(tag.length + 1).split(' ')[0]!.toUpperCase() : null;
    if (status !== null) return { ok: true, value: { status, untagged } };
    untagged.push(line.value);
  }
  return { ok: false, reason: 'probe-response-too-long', detail: `more than ${MAX_REPLY_LINES} lines in reply to ${text}` };
}

/** RFC 9051 §7.2.2: `* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN …`, upper-cased atoms. */
function capabilities(reply: Reply): string[] {
  return reply.untagged.flatMap((l) => (/^\* CAPABILITY /i.test(l) ? l.slice(13).trim().toUpperCase().split(/\s+/) : []));
}

function authOf(caps: readonly string[]): string[] {
  // RFC 9051 §6.2.3: LOGINDISABLED forbids LOGIN; shown beside the SASL mechanisms it leaves.
  return [...caps.filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5)), ...caps.filter((c) => c === 'LOGINDISABLED')];
}

export const probeImap: Dialogue = async (s, starttls, learnt: Learnt) => {
  const greeting = await s.read();
  if (!greeting.ok) return failed(greeting.reason, greeting.detail, learnt);
  // RFC 9051 §7.1.5: BYE refuses the connection; anything but OK/PREAUTH/BYE is not an IMAP server.
  if (/^\* BYE\b/i.test(greeting.value)) return failed('probe-server-refused', quote(greeting.value), learnt);
  if (!/^\* (OK|PREAUTH)\b/i.test(greeting.value)) return failed('probe-bad-greeting', quote(greeting.value), learnt);
  // RFC 9051 §7.1: a greeting may carry [CAPABILITY …]; then the first CAPABILITY round trip is saved.
  const greeted = /^\* (?:OK|PREAUTH) \[CAPABILITY ([^\]]*)\]/i.exec(greeting.value)?.[1];
  let caps: string[];
  if (greeted === undefined) {
    const first = await command(s, 'p1', 'CAPABILITY');
    if (!first.ok) return failed(first.reason, first.detail, learnt);
    caps = capabilities(first.value);
  } else {
    caps = greeted.trim().toUpperCase().split(/\s+/);
  }
  if (starttls) {
    learnt.starttls = caps.includes('STARTTLS') ? 'offered' : 'missing';
    if (learnt.starttls === 'missing') return logout(s, failed('probe-starttls-missing', 'CAPABILITY has no STARTTLS', learnt));
    const upgrade = await command(s, 'p2', 'STARTTLS');
    if (!upgrade.ok) return failed(upgrade.reason, upgrade.detail, learnt);
    if (upgrade.value.status !== 'OK') return logout(s, failed('probe-starttls-refused', `STARTTLS: ${upgrade.value.status}`, learnt));
    const tls = await s.startTls();
    if (!tls.ok) return failed(tls.reason, tls.detail, learnt);
    learnt.tls = tls.value;
    // RFC 9051 §6.2.1: capabilities learnt before STARTTLS are discarded.
    const again = await command(s, 'p3', 'CAPABILITY');
    if (!again.ok) return failed(again.reason, again.detail, learnt);
    caps = capabilities(again.value);
  }
  learnt.auth = authOf(caps);
  return logout(s, { ok: true, learnt });
};

async function logout<T>(s: Session, outcome: T): Promise<T> {
  await s.write('p9 LOGOUT');
  return outcome;
}
