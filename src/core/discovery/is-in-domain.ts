// RFC 6186 §6: whether a SRV target lies within the domain that was queried.
import type { Hostname } from '../address/parse-hostname.ts';

/** In-domain = the domain itself or a name below it; both sides are already normalised Hostnames. */
export function isInDomain(target: Hostname, domain: Hostname): boolean {
  return target === domain || target.endsWith(`.${domain}`);
}
