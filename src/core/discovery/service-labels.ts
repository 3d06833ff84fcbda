// The six SRV labels as data: RFC 6186 §3.1–3.3 and RFC 8314 §5.1 (implicit TLS labels).

export type Protocol = 'imap' | 'pop3' | 'smtp';
export type Security = 'tls' | 'starttls';
export type Direction = 'incoming' | 'outgoing';

export interface ServiceLabel {
  /** Owner-name prefix, e.g. `_imaps._tcp`. */
  readonly label: string;
  readonly protocol: Protocol;
  readonly direction: Direction;
  readonly security: Security;
  readonly rfc: string;
}

// Order within a protocol = RFC 8314 §5.1 preference: implicit TLS before STARTTLS.
export const SERVICE_LABELS: readonly ServiceLabel[] = [
  { label: '_submissions._tcp', protocol: 'smtp', direction: 'outgoing', security: 'tls', rfc: 'RFC 8314 §5.1' },
  { label: '_submission._tcp', protocol: 'smtp', direction: 'outgoing', security: 'starttls', rfc: 'RFC 6186 §3.1' },
  { label: '_imaps._tcp', protocol: 'imap', direction: 'incoming', security: 'tls', rfc: 'RFC 6186 §3.2' },
  { label: '_imap._tcp', protocol: 'imap', direction: 'incoming', security: 'starttls', rfc: 'RFC 6186 §3.2' },
  { label: '_pop3s._tcp', protocol: 'pop3', direction: 'incoming', security: 'tls', rfc: 'RFC 6186 §3.3' },
  { label: '_pop3._tcp', protocol: 'pop3', direction: 'incoming', security: 'starttls', rfc: 'RFC 6186 §3.3' },
];

/** The labels to (re-)query: all six, or only one protocol's (RFC 6186 §4 re-lookup). */
export function labelsFor(protocol?: Protocol): readonly ServiceLabel[] {
  return protocol === undefined ? SERVICE_LABELS : SERVICE_LABELS.filter((s) => s.protocol === protocol);
}
