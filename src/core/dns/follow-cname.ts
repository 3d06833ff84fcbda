// Follows a CNAME chain inside one answer section (RFC 1034 §3.6.2, RFC 2181 §10.1), bounded.
import type { RecordType, ResourceRecord } from './wire.ts';

export const MAX_CNAME_HOPS = 8; // unbound's own limit for chains it chases (max-query-restarts)

export type CnameResult =
  | {
      ok: true;
      /** Where the chain ended: the owner of `records`, or a CNAME target the answer holds nothing for. */
      name: string;
      records: readonly ResourceRecord[];
      /** Every name the chain passed through, `qname` first (for loop checks across queries). */
      aliases: readonly string[];
      /** The smallest CNAME TTL on the way (RFC 2181 §10.1.1: the alias lasts no longer); null without CNAME. */
      cnameTtl: number | null;
    }
  | { ok: false; reason: 'cname-loop'; detail: string };

/**
 * The records of `type` at the end of the chain from `qname`; an empty list means NODATA, or a
 * CNAME the server did not follow when `name` differs from `qname`. `seen` holds names met in
 * earlier answers of the same lookup; `hops` counts their CNAMEs toward the bound.
 */
export function followCname(
  answers: readonly ResourceRecord[],
  qname: string,
  type: RecordType,
  { seen = [], hops = 0 }: { seen?: readonly string[]; hops?: number } = {},
): CnameResult {
  let name = qname;
  const aliases = [name];
  const visited = new Set<string>([...seen, name]);
  let cnameTtl: number | null = null;
  for (let hop = hops; hop <= MAX_CNAME_HOPS; hop++) {
    const records = answers.filter((r) => r.name === name && r.data.type === type);
    if (records.length > 0) return { ok: true, name, records, aliases, cnameTtl };
    const cname = answers.find((r) => r.name === name && r.data.type === 'CNAME');
    if (cname === undefined || cname.data.type !== 'CNAME') return { ok: true, name, records: [], aliases, cnameTtl };
    name = cname.data.target;
    cnameTtl = Math.min(cnameTtl ?? cname.ttl, cname.ttl);
    if (visited.has(name)) return { ok: false, reason: 'cname-loop', detail: `CNAME loop at ${name}` };
    visited.add(name);
    aliases.push(name);
  }
  return { ok: false, reason: 'cname-loop', detail: `CNAME chain from ${seen[0] ?? qname} longer than ${MAX_CNAME_HOPS}` };
}
