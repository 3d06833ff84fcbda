// The platform's one new capability for the server probe (RFC 6186 §6 via RFC 6125 §6): a line-based
// connection to a mail server that can be upgraded to TLS, with the certificate facts the platform's own
// TLS stack and trust store found. The dialogue (greeting, capabilities, STARTTLS) is the core's; the
// socket is the platform's, like fetch. No credential ever passes through it.

/** What the platform's TLS stack reports once the handshake is done. */
export interface TlsFacts {
  /** e.g. 'TLSv1.3'. */
  readonly version: string;
  /** The chain validated against the platform's trust store and names the host connected to. */
  readonly authorized: boolean;
  /** Why it did not validate, in the platform's words (e.g. CERT_HAS_EXPIRED); null when authorized. */
  readonly error: string | null;
  /** Thunderbird: accepted only through a certificate exception the user added (never counts as valid). */
  readonly userException: boolean;
  /** The chain the server presented, DER, leaf first. */
  readonly chain: readonly Uint8Array[];
}

/** Why a connection could not be made or went away: a closed set, shown to the user by reason code. */
export type ConnectionFailure =
  'connect-refused' | 'connect-timeout' | 'connect-reset' | 'tls-handshake-failed' | 'line-too-long' | 'closed';

export type LineResult =
  { readonly ok: true; readonly line: string } | { readonly ok: false; readonly reason: ConnectionFailure; readonly detail: string };

export interface ProbeConnection {
  /** The next line without its CRLF; a line over `maxLineOctets` (given to connect) is 'line-too-long'. */
  readLine(): Promise<LineResult>;
  writeLine(line: string): Promise<void>;
  /** Upgrade a plain connection after the protocol's STARTTLS/STLS was accepted; SNI is the host connected to. */
  startTls(): Promise<
    { readonly ok: true; readonly tls: TlsFacts } | { readonly ok: false; readonly reason: ConnectionFailure; readonly detail: string }
  >;
  close(): void;
}

export interface ConnectRequest {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (RFC 8314) or plain text until STARTTLS. */
  readonly tls: boolean;
  /** Bounds every read: the whole probe of one server ends by then, whatever the server does. */
  readonly signal: AbortSignal;
  readonly maxLineOctets: number;
}

export type ConnectResult =
  | { readonly ok: true; readonly connection: ProbeConnection; readonly tls: TlsFacts | null }
  | { readonly ok: false; readonly reason: ConnectionFailure; readonly detail: string };

/** Platform.connect: present in the CLI (node:net/node:tls) and Thunderbird (the Experiment), absent in Chromium. */
export type Connect = (request: ConnectRequest) => Promise<ConnectResult>;
