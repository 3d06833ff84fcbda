// Runs the core's discover() for an address against a fake zone, as the conformance tests need.
import { parseAddress, type EmailAddress } from '../../src/core/address/parse-address.ts';
import { autoconfigure as discover, type Discovery, type DiscoveryOptions } from '../../src/core/autoconfigure.ts';
import type { Platform } from '../../src/core/platform.ts';
import { testPlatform, zoneResolver, type FakeRecord, type FakeResolver } from './fake-resolver.ts';
import { urlHostname } from '../../src/parse-url.ts';

export const OPTIONS: DiscoveryOptions = { resolvers: ['https://resolver.example/dns-query'], method: 'GET', timeoutMs: 2000 };

export function address(text: string): EmailAddress {
  const parsed = parseAddress(text, { toAscii: urlHostname });
  if (!parsed.ok) throw new Error(`test address ${text}: ${parsed.reason}`);
  return parsed.value;
}

export async function discoverIn(
  records: readonly FakeRecord[],
  who = 'alice@example.test',
  { ad = true, options = OPTIONS, platform = {} }: { ad?: boolean; options?: DiscoveryOptions; platform?: Partial<Platform> } = {},
): Promise<Discovery & { resolver: FakeResolver }> {
  const resolver = zoneResolver(records, { ad });
  const result = await discover(address(who), options, testPlatform(resolver.fetch, platform));
  return { ...result, resolver };
}
