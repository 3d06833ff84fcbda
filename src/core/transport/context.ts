// What every transport check is given: the domain, how to ask DNS, and the platform.
import type { Hostname } from '../address/parse-hostname.ts';
import { lookup, type DohOptions, type LookupResult } from '../dns/doh-client.ts';
import type { RecordType, ResourceRecord } from '../dns/wire.ts';
import type { Platform } from '../platform.ts';

export interface TransportContext {
  readonly domain: Hostname;
  readonly options: DohOptions;
  readonly platform: Platform;
}

export type Answer =
  | { readonly kind: 'records'; readonly records: readonly ResourceRecord[]; readonly ad: boolean }
  | { readonly kind: 'none'; readonly ad: boolean }
  | { readonly kind: 'error'; readonly detail: string };

/** One DoH question, with NXDOMAIN and NODATA folded into "none" (both mean "not published"). */
export async function ask(ctx: TransportContext, name: string, type: RecordType): Promise<Answer> {
  const result: LookupResult = await lookup({ name, type }, ctx.options, ctx.platform);
  switch (result.status) {
    case 'answer': return { kind: 'records', records: result.records, ad: result.ad };
    case 'nxdomain': case 'nodata': return { kind: 'none', ad: result.ad };
    case 'error': return { kind: 'error', detail: `${result.reason}: ${result.detail}` };
  }
}
