// Opens one server through the platform's socket and runs its protocol's dialogue (RFC 6186 §6 via RFC 6125 §6):
// implicit TLS on `_imaps`/`_pop3s`/`_submissions` (RFC 8314 §3.1), the protocol's own upgrade on the others.
import type { Protocol, Security } from '../discovery/service-labels.ts';
import type { ProbeReason } from '../reasons.ts';
import type { Connect, ConnectResult } from './connection.ts';
import { failureReason, session, type Dialogue, type Learnt } from './dialogue.ts';
import { probeImap } from './imap.ts';
import { probePop3 } from './pop3.ts';
import { probeSmtp } from './smtp.ts';

/** A reply line longer than this is hostile: RFC 5321 §4.5.3.1.5 allows 512, real IMAP CAPABILITY lines stay under 4 KiB. */
export const MAX_LINE_OCTETS = 8192;

const DIALOGUES: Record<Protocol, Dialogue> = { imap: probeImap, pop3: probePop3, smtp: probeSmtp };

export interface ProbeTarget {
  readonly protocol: Protocol;
  readonly hostname: string;
  readonly port: number;
  readonly security: Security;
}

export type RawProbe =
  | { readonly ok: true; readonly learnt: Learnt }
  | { readonly ok: false; readonly reason: ProbeReason; readonly detail: string; readonly learnt: Learnt };

/** A plain-text server greets at once (RFC 9051 §7.1, RFC 5321 §3.1): the second look waits no longer than this. */
const PLAIN_GREETING_MS = 1000;

/** The dialogue with one server, ended after `limitMs` whatever the server does; the connection is always closed. */
export async function probeServer(
  target: ProbeTarget,
  connect: Connect,
  limitMs: number,
  timeout: (ms: number) => AbortSignal,
): Promise<RawProbe> {
  const learnt: Learnt = { tls: null, starttls: null, auth: [] };
  const implicit = target.security === 'tls';
  const signal = timeout(limitMs);
  const opened = await open(connect, target, implicit, signal);
  if (!opened.ok) {
    // RFC 8314 §3.1: a handshake that fails because the server talks first in plain text is named as such.
    const second = AbortSignal.any([signal, timeout(PLAIN_GREETING_MS)]);
    if (implicit && opened.reason === 'tls-handshake-failed' && (await greetsInPlainText(connect, target, second))) {
      return { ok: false, reason: 'probe-plaintext-on-tls-port', detail: opened.detail, learnt };
    }
    return { ok: false, reason: failureReason(opened.reason), detail: opened.detail, learnt };
  }
  learnt.tls = opened.tls;
  try {
    return await DIALOGUES[target.protocol](session(opened.connection, signal), !implicit, learnt);
  } finally {
    opened.connection.close();
  }
}

function open(connect: Connect, target: ProbeTarget, tls: boolean, signal: AbortSignal): Promise<ConnectResult> {
  const timedOut = new Promise<ConnectResult>((resolve) => {
    const stop = (): void => resolve({ ok: false, reason: 'connect-timeout', detail: 'the time limit ran out' });
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  const opening = connect({ host: target.hostname, port: target.port, tls, signal, maxLineOctets: MAX_LINE_OCTETS });
  // A connection that opens after the time limit is closed at once rather than leaked.
  void opening.then((r) => { if (r.ok && signal.aborted) r.connection.close(); });
  return Promise.race([opening, timedOut]);
}

/** A greeting of any of the three protocols (RFC 9051 §7.1, RFC 1939 §4, RFC 5321 §4.2) read without TLS. */
async function greetsInPlainText(connect: Connect, target: ProbeTarget, signal: AbortSignal): Promise<boolean> {
  const plain = await open(connect, target, false, signal);
  if (!plain.ok) return false;
  try {
    const line = await session(plain.connection, signal).read();
    return line.ok && /^(\* OK|\* PREAUTH|\+OK|220[ -])/i.test(line.value);
  } finally {
    plain.connection.close();
  }
}
