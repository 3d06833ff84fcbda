// What one discovery learnt about its resolvers: one that failed is not asked again (no time-out paid twice).
import type { DnsFailureReason } from '../reasons.ts';

export interface ResolverFailure {
  readonly reason: DnsFailureReason;
  readonly detail: string;
}

export interface ResolverMemory {
  /** The failure a resolver gave earlier in this discovery, if any. */
  failed(resolver: string): ResolverFailure | undefined;
  remember(resolver: string, failure: ResolverFailure): void;
}

/**
 * Failures of the resolver itself, whatever the name asked. SERVFAIL, REFUSED, other RCODEs and
 * CNAME trouble are answers about one name (RFC 1035 §4.1.1; RFC 4035 §5.5 for failed validation),
 * so the resolver stays in use.
 */
const RESOLVER_FAULTS: ReadonlySet<DnsFailureReason> = new Set<DnsFailureReason>([
  'timeout', 'network', 'http-status', 'content-type', 'response-too-large', 'truncated', 'malformed-response', 'question-mismatch',
]);

export function isResolverFault(reason: DnsFailureReason): boolean {
  return RESOLVER_FAULTS.has(reason);
}

/** A fresh memory, one per discovery (the CLI shares it with the policy host's address lookups). */
export function rememberFailures(): ResolverMemory {
  const failures = new Map<string, ResolverFailure>();
  return {
    failed: (resolver) => failures.get(resolver),
    remember: (resolver, failure) => {
      if (!failures.has(resolver)) failures.set(resolver, failure);
    },
  };
}
