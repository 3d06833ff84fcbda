// Hand-built DNS messages, octet by octet, so tests can say exactly what is malformed.

export const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
export const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** Uncompressed wire name; labels may hold any octets (a string label is taken as Latin-1). */
export function wireName(name: string | readonly (string | number[])[]): number[] {
  const labels = typeof name === 'string' ? (name === '' || name === '.' ? [] : name.split('.')) : name;
  const out: number[] = [];
  for (const label of labels) {
    const octets = typeof label === 'string' ? [...label].map((c) => c.charCodeAt(0)) : label;
    out.push(octets.length, ...octets);
  }
  return [...out, 0];
}

export interface HeaderFields {
  id?: number;
  flags?: number;
  qd?: number;
  an?: number;
  ns?: number;
  ar?: number;
}

/** QR, RD, RA set and RCODE 0 by default: 0x8180. */
export function header({ id = 0, flags = 0x8180, qd = 1, an = 0, ns = 0, ar = 0 }: HeaderFields = {}): number[] {
  return [...u16(id), ...u16(flags), ...u16(qd), ...u16(an), ...u16(ns), ...u16(ar)];
}

export function question(name: string, type = 33, klass = 1): number[] {
  return [...wireName(name), ...u16(type), ...u16(klass)];
}

export function rr(owner: number[], type: number, rdata: number[], { ttl = 300, klass = 1, rdlength = rdata.length } = {}): number[] {
  return [...owner, ...u16(type), ...u16(klass), ...u32(ttl), ...u16(rdlength), ...rdata];
}

export function srvRdata(priority: number, weight: number, port: number, target: number[]): number[] {
  return [...u16(priority), ...u16(weight), ...u16(port), ...target];
}

/** A well-formed answer: one SRV record for `qname` with a compression pointer to the question. */
export function srvMessage(qname: string, target: string, extra: HeaderFields = {}): number[] {
  return [...header({ an: 1, ...extra }), ...question(qname), ...rr([0xc0, 12], 33, srvRdata(0, 1, 993, wireName(target)))];
}

export const bytes = (octets: number[]): Uint8Array => new Uint8Array(octets);
