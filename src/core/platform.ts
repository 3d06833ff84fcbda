// The IO the pure core is given: every effect arrives through this one parameter (docs/architecture.md).
import type { Connect } from './probe/connection.ts';

/** The part of a fetch Response the DoH client reads. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
  readonly signal: AbortSignal;
  /**
   * Redirects are never followed: a DoH answer must come from the resolver asked, and an MTA-STS
   * policy "MUST NOT" be fetched through one (RFC 8461 §3.3). 'manual' lets the caller see a 3xx
   * (or the browser's opaque redirect, status 0) and say so.
   */
  readonly redirect: 'error' | 'manual';
  /** The platform stops reading the body after maxBytes + 1 octets, so the caller can tell "too large". */
  readonly maxBytes: number;
}

export type Fetch = (url: string, request: HttpRequest) => Promise<HttpResponse>;

/** A small async key-value store (storage.local in the add-on, a Map in tests). */
export interface KeyValueStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface Platform {
  /** HTTPS for DoH (HTTP/2 where the platform can). */
  readonly fetch: Fetch;
  /** HTTPS for documents such as the MTA-STS policy (any HTTP version, certificate checked). */
  readonly fetchPolicy: Fetch;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** An AbortSignal that fires after `ms` milliseconds. */
  readonly timeout: (ms: number) => AbortSignal;
  /** IDNA (UTS #46) to A-labels, as the platform's URL parser does it; null when refused. */
  readonly toAscii: (domain: string) => string | null;
  readonly storage?: KeyValueStorage;
  /** A connection to a mail server for the server probe; absent where the platform has no sockets (Chromium). */
  readonly connect?: Connect;
  /** SHA-256/SHA-512 of `data` (DANE matching types 1 and 2, RFC 6698 §2.1.3). */
  readonly digest?: (algorithm: 'SHA-256' | 'SHA-512', data: Uint8Array) => Promise<Uint8Array>;
}
