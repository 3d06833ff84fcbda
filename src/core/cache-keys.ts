// The storage keys the core caches under, in one place, so "forget remembered settings" forgets all.

/** RFC 6186 §4: discovered settings per domain, bounded by the DNS TTL. */
export const DISCOVERY_PREFIX = 'discovery:';
/** RFC 8461 §5.1: MTA-STS policies per domain, by id, for max_age. */
export const MTA_STS_PREFIX = 'mta-sts:';

export function isCacheKey(key: string): boolean {
  return key.startsWith(DISCOVERY_PREFIX) || key.startsWith(MTA_STS_PREFIX);
}
