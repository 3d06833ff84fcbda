// What every protocol's probe dialogue shares: a session over the platform's connection that never waits past
// the probe's time limit, and the outcome each dialogue reports (docs/trust.md: no credential is ever sent).
import type { ProbeReason } from '../reasons.ts';
import type { ConnectionFailure, ProbeConnection, TlsFacts } from './connection.ts';

/** Lines one reply may span: a real CAPABILITY or EHLO reply has a few dozen; an endless one is hostile. */
export const MAX_REPLY_LINES = 100;

export type Step<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: ProbeReason; readonly detail: string };

/** What a dialogue learnt, whether it finished or not. */
export interface Learnt {
  tls: TlsFacts | null;
  /** Only for STARTTLS labels: whether the server offered the upgrade. */
  starttls: 'offered' | 'missing' | null;
  auth: string[];
}

export type DialogueOutcome =
  | { readonly ok: true; readonly learnt: Learnt }
  | { readonly ok: false; readonly reason: ProbeReason; readonly detail: string; readonly learnt: Learnt };

export interface Session {
  read(): Promise<Step<string>>;
  write(line: string): Promise<void>;
  startTls(): Promise<Step<TlsFacts>>;
}

/** The dialogue of one protocol; `starttls` = upgrade with the protocol's own command first (RFC 8314 §3.1 otherwise). */
export type Dialogue = (session: Session, starttls: boolean, learnt: Learnt) => Promise<DialogueOutcome>;

const FAILURE_REASON: Record<ConnectionFailure, ProbeReason> = {
  'connect-refused': 'probe-connect-failed',
  'connect-timeout': 'probe-timeout',
  'connect-reset': 'probe-reset',
  'tls-handshake-failed': 'probe-tls-failed',
  'line-too-long': 'probe-line-too-long',
  closed: 'probe-closed',
};

export function failureReason(failure: ConnectionFailure): ProbeReason {
  return FAILURE_REASON[failure];
}

/** Every read also ends when the probe's signal fires, even if the platform's socket were to hang on. */
export function session(connection: ProbeConnection, signal: AbortSignal): Session {
  const aborted = new Promise<{ ok: false; reason: ConnectionFailure; detail: string }>((resolve) => {
    const stop = (): void => resolve({ ok: false, reason: 'connect-timeout', detail: 'the time limit ran out' });
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  return {
    read: async () => {
      const line = await Promise.race([connection.readLine(), aborted]);
      return line.ok ? { ok: true, value: line.line } : { ok: false, reason: FAILURE_REASON[line.reason], detail: line.detail };
    },
    // A write to a socket the server closed shows up as the next read's failure, which names it.
    write: async (line) => { await Promise.race([connection.writeLine(line).catch(() => undefined), aborted]); },
    startTls: async () => {
      const upgraded = await Promise.race([connection.startTls(), aborted]);
      if (upgraded.ok) return { ok: true, value: upgraded.tls };
      return { ok: false, reason: FAILURE_REASON[upgraded.reason], detail: upgraded.detail };
    },
  };
}

export const failed = (reason: ProbeReason, detail: string, learnt: Learnt): DialogueOutcome => ({ ok: false, reason, detail, learnt });

/** A reply line as people may see it: printable ASCII, bounded. */
export function quote(line: string): string {
  const printable = line.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 120 ? `${printable.slice(0, 120)}…` : printable;
}
