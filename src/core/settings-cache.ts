// RFC 6186 §4: discovered settings are reused until their DNS TTL runs out, and a failure refreshes
// the lookup for the failing protocol only.
import type { EmailAddress } from './address/parse-address.ts';
import { parseHostname } from './address/parse-hostname.ts';
import { autoconfigure, type DiscoveryOptions } from './autoconfigure.ts';
import { DISCOVERY_PREFIX, putCacheEntry, touchCacheKey } from './cache-keys.ts';
import { loginNames } from './discovery/login-names.ts';
import type { Protocol } from './discovery/service-labels.ts';
import type { Platform } from './platform.ts';
import type { Discovery, Setting } from './verdict/verdict.ts';

// 4: entries name the resolvers that answered.
export const CACHE_VERSION = 4;
const cacheKey = (domain: string): string => `${DISCOVERY_PREFIX}${domain}`;

interface CacheEntry {
  readonly version: typeof CACHE_VERSION;
  readonly expiresAt: number;
  /** The resolvers asked: AD is their word (docs/trust.md), so another resolver's lookup does not reuse it. */
  readonly resolvers: string;
  readonly discovery: Discovery;
}

const resolversOf = (options: DiscoveryOptions): string => options.resolvers.join(' ');

/** Cached settings when fresh (zero network requests), else a new discovery that is then cached. */
export async function discoverWithCache(address: EmailAddress, options: DiscoveryOptions, platform: Platform): Promise<Discovery> {
  const storage = platform.storage;
  if (storage === undefined) return autoconfigure(address, options, platform);
  const started = platform.now();
  const key = cacheKey(address.domain);
  const entry = readEntry(await storage.get(key));
  // An entry made without transport checks or probes does not answer a lookup that asks for them.
  const complete = entry !== null && entry.resolvers === resolversOf(options)
    && (options.transport !== true || entry.discovery.transport !== null)
    && (options.probe !== true || platform.connect === undefined || isProbed(entry.discovery));
  if (entry !== null && complete && started < entry.expiresAt) {
    await touchCacheKey(storage, key);
    return { ...forAddress(entry.discovery, address), fromCache: true, timing: { elapsedMs: platform.now() - started, queries: 0 } };
  }
  const fresh = await autoconfigure(address, options, platform);
  await store(fresh, options, platform, Infinity);
  return fresh;
}

/**
 * RFC 6186 §4: after a connection or login failure with `failed`, re-query that protocol's labels
 * only and keep the rest of `previous`; IMAP and POP3 are never swapped without the user.
 */
export async function relookup(
  address: EmailAddress,
  failed: Protocol,
  previous: Discovery,
  options: DiscoveryOptions,
  platform: Platform,
): Promise<Discovery> {
  // The badge is the pipeline's own: the re-lookup only tells it which side to refresh.
  const merged = await autoconfigure(address, { ...options, only: failed }, platform, previous);
  if (merged.status === 'resolver-failure' || platform.storage === undefined) return merged;
  // The side kept from `previous` is only as fresh as the entry it came from: never past its expiry,
  // and not cached at all when no fresh entry says how old it is.
  const entry = readEntry(await platform.storage.get(cacheKey(address.domain)));
  await platform.storage.remove(cacheKey(address.domain));
  if (entry !== null && entry.resolvers === resolversOf(options)) await store(merged, options, platform, entry.expiresAt);
  return merged;
}

const isProbed = (d: Discovery): boolean => [d.incoming, d.outgoing].every((s) => s === null || s.probe !== null);

async function store(discovery: Discovery, options: DiscoveryOptions, platform: Platform, notAfter: number): Promise<void> {
  if (platform.storage === undefined || discovery.status !== 'found') return;
  // A failed probe may be a passing fault (a time-out, a reset): the next lookup probes again.
  if ([discovery.incoming, discovery.outgoing].some((s) => s?.probe?.status === 'failed')) return;
  const settings = [discovery.incoming, discovery.outgoing, ...discovery.alternatives].filter((s): s is Setting => s !== null);
  // The shortest TTL of the records in use bounds the whole entry; TTL 0 means "do not cache".
  const ttl = Math.min(...settings.map((s) => s.ttl));
  if (!(ttl > 0)) return;
  const expiresAt = Math.min(platform.now() + ttl * 1000, notAfter);
  if (!(expiresAt > platform.now())) return;
  const entry: CacheEntry = { version: CACHE_VERSION, expiresAt, resolvers: resolversOf(options), discovery };
  await putCacheEntry(platform.storage, cacheKey(discovery.domain), entry);
}

/** Storage is outside our control (another version, a hand edit): anything odd reads as a miss. */
function readEntry(value: unknown): CacheEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Partial<CacheEntry>;
  const discovery = entry.discovery as Partial<Discovery> | undefined;
  if (entry.version !== CACHE_VERSION || typeof entry.expiresAt !== 'number' || typeof entry.resolvers !== 'string') return null;
  if (typeof discovery !== 'object' || discovery === null || discovery.status !== 'found') return null;
  if (!Array.isArray(discovery.alternatives) || typeof discovery.badge !== 'object' || discovery.badge === null) return null;
  const sides = [discovery.incoming, discovery.outgoing];
  if (sides.every((s) => s === null) || !sides.every((s) => s === null || isSetting(s)) || !discovery.alternatives.every(isSetting))
    return null;
  return entry as CacheEntry;
}

const PROTOCOLS: readonly unknown[] = ['imap', 'pop3', 'smtp'];
const SECURITY: readonly unknown[] = ['tls', 'starttls'];

/** The fields a stored setting must have before anything would connect to it. */
function isSetting(value: unknown): value is Setting {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<Setting>;
  return PROTOCOLS.includes(s.protocol) && SECURITY.includes(s.security) && typeof s.hostname === 'string' && parseHostname(s.hostname).ok
    && Number.isInteger(s.port) && (s.port ?? 0) > 0 && (s.port ?? 0) < 65536
    && typeof s.inDomain === 'boolean' && typeof s.dnssec === 'boolean'
    && Array.isArray(s.verifiedBy) && (s.probe === null || (typeof s.probe === 'object' && s.probe !== undefined));
}

/** The entry is per domain; the address and its login names are the asker's (RFC 6186 §4). */
function forAddress(discovery: Discovery, address: EmailAddress): Discovery {
  const usernames = loginNames(address);
  const personal = (s: Setting | null): Setting | null => (s === null ? null : { ...s, usernames });
  return {
    ...discovery,
    address: address.address,
    incoming: personal(discovery.incoming),
    outgoing: personal(discovery.outgoing),
    alternatives: discovery.alternatives.map((s) => ({ ...s, usernames })),
  };
}
