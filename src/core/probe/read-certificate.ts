// The facts the probe needs from an X.509 certificate (RFC 5280 §4.1): names (subjectAltName dNSName
// and SRVName, RFC 4985), validity, issuer and the SubjectPublicKeyInfo (for DANE selector 1, RFC 6698 §2.1.2).
import { contextTag, latin1, readElements, readOid, readOne, readString, readTime, TAG, type DerNode, type DerResult } from './der.ts';

export interface CertificateFacts {
  /** dNSName entries of subjectAltName (RFC 5280 §4.2.1.6), lowercased. */
  readonly dnsNames: readonly string[];
  /** SRVName otherName entries, e.g. `_imaps.example.org` (RFC 4985 §2), lowercased. */
  readonly srvNames: readonly string[];
  readonly notAfter: { readonly iso: string; readonly ms: number };
  readonly notBefore: { readonly iso: string; readonly ms: number };
  /** Issuer CN and O, as people know a CA ("R11, Let's Encrypt"). */
  readonly issuer: string;
  /** The DER of the issuer and subject Names: equal for a self-issued certificate. */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  /** SubjectPublicKeyInfo, DER (RFC 6698 §2.1.2 selector 1). */
  readonly spki: Uint8Array;
}

const OID_SAN = '2.5.29.17';
const OID_SRV_NAME = '1.3.6.1.5.5.7.8.7'; // RFC 4985 §2: id-on-dnsSRV
const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';

const fail = (detail: string): { ok: false; detail: string } => ({ ok: false, detail });

export function readCertificate(der: Uint8Array): DerResult<CertificateFacts> {
  const cert = readOne(der);
  if (!cert.ok) return cert;
  if (cert.value.tag !== TAG.SEQUENCE) return fail('certificate is not a SEQUENCE');
  const parts = readElements(cert.value.content);
  if (!parts.ok) return parts;
  const tbs = parts.value[0];
  if (tbs?.tag !== TAG.SEQUENCE) return fail('no tbsCertificate');
  const fields = readElements(tbs.content);
  if (!fields.ok) return fields;
  // RFC 5280 §4.1: version [0] is optional; the fields after it have a fixed order.
  const rest = fields.value[0]?.tag === contextTag(0, true) ? fields.value.slice(1) : fields.value;
  const [, , issuer, validity, subject, spki, ...optional] = rest;
  if (issuer?.tag !== TAG.SEQUENCE || subject?.tag !== TAG.SEQUENCE) return fail('no issuer or subject Name');
  if (validity?.tag !== TAG.SEQUENCE || spki?.tag !== TAG.SEQUENCE) return fail('no validity or subjectPublicKeyInfo');
  const times = readElements(validity.content);
  if (!times.ok) return times;
  const notBefore = times.value[0] === undefined ? null : readTime(times.value[0]);
  const notAfter = times.value[1] === undefined ? null : readTime(times.value[1]);
  if (notBefore === null || notAfter === null) return fail('unreadable validity');
  const issuerAttributes = readName(issuer);
  if (!issuerAttributes.ok) return issuerAttributes;
  const names = readSubjectAltName(optional.find((n) => n.tag === contextTag(3, true)));
  if (!names.ok) return names;
  const issuerText = [OID_CN, OID_O].flatMap((oid) => issuerAttributes.value.filter((a) => a.oid === oid).map((a) => a.value));
  return {
    ok: true,
    value: {
      ...names.value,
      notAfter,
      notBefore,
      issuer: issuerText.join(', '),
      issuerDer: issuer.whole,
      subjectDer: subject.whole,
      spki: spki.whole,
    },
  };
}

/** RFC 5280 §4.1.2.4: Name = SEQUENCE OF SET OF {type, value}; only string values are kept. */
function readName(name: DerNode): DerResult<{ oid: string; value: string }[]> {
  const rdns = readElements(name.content);
  if (!rdns.ok) return rdns;
  const attributes: { oid: string; value: string }[] = [];
  for (const rdn of rdns.value) {
    const set = readElements(rdn.content);
    if (!set.ok) return set;
    for (const pair of set.value) {
      const items = readElements(pair.content);
      if (!items.ok) return items;
      const [type, value] = items.value;
      const oid = type?.tag === TAG.OID ? readOid(type.content) : null;
      const text = value === undefined ? null : readString(value);
      if (oid !== null && text !== null) attributes.push({ oid, value: text });
    }
  }
  return { ok: true, value: attributes };
}

/** RFC 5280 §4.2.1.6 and RFC 4985 §2: the dNSName and SRVName entries of the extensions [3]. */
function readSubjectAltName(extensions: DerNode | undefined): DerResult<{ dnsNames: string[]; srvNames: string[] }> {
  const found = { dnsNames: [] as string[], srvNames: [] as string[] };
  if (extensions === undefined) return { ok: true, value: found };
  const wrapper = readOne(extensions.content);
  if (!wrapper.ok) return wrapper;
  const list = readElements(wrapper.value.content);
  if (!list.ok) return list;
  for (const extension of list.value) {
    const items = readElements(extension.content);
    if (!items.ok) return items;
    const id = items.value[0];
    const value = items.value[items.value.length - 1];
    if (id?.tag !== TAG.OID || readOid(id.content) !== OID_SAN || value?.tag !== TAG.OCTET_STRING) continue;
    const generalNames = readOne(value.content);
    if (!generalNames.ok) return generalNames;
    const entries = readElements(generalNames.value.content);
    if (!entries.ok) return entries;
    for (const entry of entries.value) {
      if (entry.tag === contextTag(2, false)) found.dnsNames.push(latin1(entry.content).toLowerCase());
      if (entry.tag === contextTag(0, true)) {
        const srv = readSrvName(entry);
        if (srv !== null) found.srvNames.push(srv.toLowerCase());
      }
    }
  }
  return { ok: true, value: found };
}

/** otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }; SRVName is an IA5String (RFC 4985 §2). */
function readSrvName(otherName: DerNode): string | null {
  const items = readElements(otherName.content);
  if (!items.ok) return null;
  const [type, value] = items.value;
  if (type?.tag !== TAG.OID || readOid(type.content) !== OID_SRV_NAME || value?.tag !== contextTag(0, true)) return null;
  const inner = readOne(value.content);
  return inner.ok && inner.value.tag === TAG.IA5_STRING ? latin1(inner.value.content) : null;
}
