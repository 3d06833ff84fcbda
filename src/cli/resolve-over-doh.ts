// Host names of policy and mail servers resolved through the configured DoH resolvers, never the system's: A, then
// AAAA, as node:net's `lookup` option wants them.
import type { LookupFunction } from 'node:net';
import type { LookupResult } from '../core/index.ts';

/** `ask`: one DoH lookup with the discovery's own resolvers and options. */
export function resolveOverDoh(ask: (question: { name: string; type: 'A' | 'AAAA' }) => Promise<LookupResult>): LookupFunction {
  return (hostname, options, callback) => {
    const all = typeof options === 'object' && options.all === true;
    void (async () => {
      for (const type of ['A', 'AAAA'] as const) {
        const result = await ask({ name: hostname.toLowerCase(), type });
        if (result.status === 'error') throw new Error(`${hostname}: ${result.detail}`);
        // An answer only counts when it is an address record.
        const addresses = result.status === 'answer' ? result.records.flatMap((r) => (r.data.type === type ? [r.data.address] : [])) : [];
        if (addresses.length > 0) return addresses.map((address) => ({ address, family: type === 'A' ? 4 : 6 }));
      }
      throw Object.assign(new Error(`${hostname}: no address (NXDOMAIN or NODATA)`), { code: 'ENOTFOUND' });
    })().then(
      (found) =>
        all
          ? (callback as unknown as (e: null, a: typeof found) => void)(null, found)
          : callback(null, found[0]!.address, found[0]!.family),
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}
