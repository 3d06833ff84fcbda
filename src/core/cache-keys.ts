// The storage keys the core caches under, in one place, so "forget remembered settings" forgets all,
// and the bound on how many entries are kept (least recently used out).
import type { KeyValueStorage } from './platform.ts';

/** RFC 6186 §4: discovered settings per domain, bounded by the DNS TTL. */
export const DISCOVERY_PREFIX = 'discovery:';
/** RFC 8461 §5.1: MTA-STS policies per domain, by id, for max_age. */
export const MTA_STS_PREFIX = 'mta-sts:';
/** The cache keys in use order, least recently used first. */
export const CACHE_INDEX_KEY = 'cache-index';
/** Enough for every account and recent lookup; DNS answers alone could otherwise fill storage. */
export const MAX_CACHE_ENTRIES = 64;

export function isCacheKey(key: string): boolean {
  return key.startsWith(DISCOVERY_PREFIX) || key.startsWith(MTA_STS_PREFIX) || key === CACHE_INDEX_KEY;
}

// Read-modify-write of the index must not interleave (the account list looks domains up in parallel).
const queues = new WeakMap<KeyValueStorage, Promise<void>>();

/** Marks `key` as just used and removes the least recently used entries beyond MAX_CACHE_ENTRIES. */
export function touchCacheKey(storage: KeyValueStorage, key: string, max = MAX_CACHE_ENTRIES): Promise<void> {
  const run = async (): Promise<void> => {
    const stored = await storage.get(CACHE_INDEX_KEY);
    const index = Array.isArray(stored)
      ? stored.filter((k): k is string => typeof k === 'string' && isCacheKey(k) && k !== CACHE_INDEX_KEY)
      : [];
    const order = [...index.filter((k) => k !== key), key];
    const evicted = order.slice(0, Math.max(0, order.length - max));
    for (const old of evicted) await storage.remove(old);
    await storage.set(CACHE_INDEX_KEY, order.slice(evicted.length));
  };
  const next = (queues.get(storage) ?? Promise.resolve()).then(run, run);
  queues.set(storage, next);
  return next;
}

/** Stores a cache entry and counts it as just used, so every kind of entry shares the one bound. */
export async function putCacheEntry(storage: KeyValueStorage, key: string, value: unknown): Promise<void> {
  await storage.set(key, value);
  await touchCacheKey(storage, key);
}
