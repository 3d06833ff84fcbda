// Follows a CNAME chain inside one answer section (RFC 1034 §3.6.2, RFC 2181 §10.1), bounded.
import type { RecordType, ResourceRecord } from './wire.ts';

export const MAX_CNAME_HOPS = 8; // unbound's own limit for chains it chases (max-query-restarts)

export type CnameResult =
  | { ok: true; name: string; records: readonly ResourceRecord[] }
  | { ok: false; reason: 'cname-loop'; detail: string };

/** The records of `type` at the end of the chain from `qname`; an empty list means NODATA. */
export function followCname(answers: readonly ResourceRecord[], qname: string, type: RecordType): CnameResult {
  let name = qname;
  const seen = new Set<string>([name]);
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const records = answers.filter((r) => r.name === name && r.data.type === type);
    if (records.length > 0) return { ok: true, name, records };
    const cname = answers.find((r) => r.name === name && r.data.type === 'CNAME');
    if (cname === undefined || cname.data.type !== 'CNAME') return { ok: true, name, records: [] };
    name = cname.data.target;
    if (seen.has(name)) return { ok: false, reason: 'cname-loop', detail: `CNAME loop at ${name}` };
    seen.add(name);
  }
  return { ok: false, reason: 'cname-loop', detail: `CNAME chain from ${qname} longer than ${MAX_CNAME_HOPS}` };
}
