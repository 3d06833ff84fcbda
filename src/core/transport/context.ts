// What every transport check is given: the domain, how to ask DNS, and the platform.
import type { Hostname } from '../address/parse-hostname.ts';
import { lookup, type DohOptions, type LookupResult } from '../dns/doh-client.ts';
import type { RecordType, ResourceRecord } from '../dns/wire.ts';
import type { Platform } from '../platform.ts';

export interface TransportContext {
  readonly domain: Hostname;
  readonly options: DohOptions;
  readonly platform: Platform;
  /** Questions already asked (`askFirst`), by `questionKey`: their answers are used, never asked twice. */
  readonly asked?: ReadonlyMap<string, Promise<Answer>>;
}

export type Answer =
  | { readonly kind: 'records'; readonly records: readonly ResourceRecord[]; readonly ad: boolean }
  | { readonly kind: 'none'; readonly ad: boolean }
  | { readonly kind: 'error'; readonly detail: string };

const questionKey = (name: string, type: RecordType): string => `${type} ${name}`;

/**
 * The checks' first questions (RFC 8461 §3.1 and RFC 8460 §3 TXT, the domain's MX), asked with the SRV queries:
 * the code that reads their answers may still be loading meanwhile (docs/performance.md#bundle-sizes).
 */
export function askFirst(domain: Hostname, options: DohOptions, platform: Platform): ReadonlyMap<string, Promise<Answer>> {
  const ctx: TransportContext = { domain, options, platform };
  const first: [string, RecordType][] = [[`_mta-sts.${domain}`, 'TXT'], [`_smtp._tls.${domain}`, 'TXT'], [domain, 'MX']];
  return new Map(first.map(([name, type]) => [questionKey(name, type), ask(ctx, name, type)]));
}

/** One DoH question, with NXDOMAIN and NODATA folded into "none" (both mean "not published"). */
export function ask(ctx: TransportContext, name: string, type: RecordType): Promise<Answer> {
  return ctx.asked?.get(questionKey(name, type)) ?? askNow(ctx, name, type);
}

async function askNow(ctx: TransportContext, name: string, type: RecordType): Promise<Answer> {
  const result: LookupResult = await lookup({ name, type }, ctx.options, ctx.platform);
  switch (result.status) {
    case 'answer': return { kind: 'records', records: result.records, ad: result.ad };
    case 'nxdomain': case 'nodata': return { kind: 'none', ad: result.ad };
    case 'error': return { kind: 'error', detail: `${result.reason}: ${result.detail}` };
  }
}
