// Public API of the pure core: everything the background, popup and CLI may call.
export { parseAddress, type EmailAddress, type AddressResult } from './address/parse-address.ts';
export { parseHostname, type Hostname } from './address/parse-hostname.ts';
export { badgeFor, type Badge, type BadgeLevel } from './verdict/badge.ts';
export { lookup, type DohOptions, type LookupResult } from './dns/doh-client.ts';
export { rememberFailures, type ResolverMemory } from './dns/resolver-memory.ts';
/** The one pipeline; `discover` is its former name, kept for the background and the bench. */
export { autoconfigure, autoconfigure as discover, type DiscoveryOptions, type Pending } from './autoconfigure.ts';
export type { DiscoveryFailure, DiscoveryStatus } from './discovery/choose-settings.ts';
export type { Discovery, Setting } from './verdict/verdict.ts';
export type { ServerProbe, CertificateSummary } from './probe/judge-probe.ts';
export type {
  Connect, ConnectRequest, ConnectResult, ConnectionFailure, LineResult, ProbeConnection, TlsFacts,
} from './probe/connection.ts';
export { isCacheKey } from './cache-keys.ts';
export { discoverWithCache, relookup } from './settings-cache.ts';
export { MAX_SRV_RECORDS_PER_LABEL } from './discovery/read-srv-answer.ts';
export { SERVICE_LABELS, type Protocol, type Security } from './discovery/service-labels.ts';
export type { Transport } from './transport/index.ts';
export type { DaneResult } from './transport/dane.ts';
export type { MtaStsResult } from './transport/mta-sts.ts';
export type { TlsRptResult } from './transport/tls-rpt.ts';
export type { Fetch, HttpRequest, HttpResponse, KeyValueStorage, Platform } from './platform.ts';
// Applying settings (src/core/accounts/index.ts) and probing alternatives (src/core/probe/index.ts) have their own
// entry points: only Thunderbird's glue and the CLI load them (docs/performance.md#bundle-sizes).
export type { ExistingServer, UpdateProposal } from './accounts/assess-account.ts';
export type { ServerRef } from './accounts/match-shown.ts';
export type { AccountPlan, ServerSettings, ShownAccount } from './accounts/plan-account.ts';
export { isVerified, verifiedBy, type Voucher } from './trust/verified-by.ts';
export type { SetupOffer } from './accounts/setup-offer.ts';
export type {
  AccountReason, AddressReason, BadgeReason, DaneReason, DnsFailureReason, MtaStsReason, ProbeReason, RejectReason, ResolverUrlReason,
  TlsRptReason, WeaknessReason,
} from './reasons.ts';

export {
  checkResolverUrl,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_SETTINGS,
  readSettings,
  RESOLVER_PRESETS,
  resolverList,
  type ResolverSettings,
} from './resolver-settings.ts';
