// Public API of the pure core: everything the background, popup and CLI may call.
export { parseAddress, type EmailAddress, type AddressResult } from './address/parse-address.ts';
export { parseHostname, type Hostname } from './address/parse-hostname.ts';
export { badgeFor, type Badge, type BadgeLevel } from './badge.ts';
export { lookup, type DohOptions, type LookupResult } from './dns/doh-client.ts';
export {
  discover,
  type Discovery,
  type DiscoveryFailure,
  type DiscoveryOptions,
  type DiscoveryStatus,
  type Setting,
} from './discovery/discover.ts';
export { discoverWithCache, forgetDomain, relookup } from './discovery/settings-cache.ts';
export { SERVICE_LABELS, type Protocol, type Security } from './discovery/service-labels.ts';
export type { Fetch, HttpRequest, HttpResponse, KeyValueStorage, Platform } from './platform.ts';
export type { AddressReason, BadgeReason, DnsFailureReason, RejectReason } from './reasons.ts';

/** Public DoH services used when the user configured none (RFC 8484 endpoints). */
export const DEFAULT_RESOLVERS: readonly string[] = [
  'https://cloudflare-dns.com/dns-query',
  'https://dns.google/dns-query',
  'https://dns.quad9.net/dns-query',
];
export const DEFAULT_TIMEOUT_MS = 5000;
