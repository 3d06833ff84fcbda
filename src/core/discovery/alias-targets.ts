// RFC 2782: the target "must not be an alias". Clients resolve it anyway, so such a target is used, but
// the domain's records are wrong and the user is told (asked beside TLSA: no extra round trip).
import { lookup, type DohOptions } from '../dns/doh-client.ts';
import type { Platform } from '../platform.ts';

/** The hosts among `hosts` whose address answer came through a CNAME (the records are owned by another name). */
export async function aliasTargets(hosts: readonly string[], options: DohOptions, platform: Platform): Promise<string[]> {
  const aliased = await Promise.all([...new Set(hosts)].map(async (host) => {
    const result = await lookup({ name: host, type: 'A' }, options, platform);
    const owners = result.status === 'answer' ? result.records.map((r) => r.name.toLowerCase().replace(/\.$/, '')) : [];
    return owners.some((owner) => owner !== host) ? [host] : [];
  }));
  return aliased.flat();
}
