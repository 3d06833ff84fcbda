// The field syntax the `_mta-sts` (RFC 8461 §3.1) and `_smtp._tls` (RFC 8460 §3) TXT records share,
// applied to the record's octets: `version 1*(sep field) [sep]` with sep = *WSP ";" *WSP.

export const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/; // RFC 8461 §3.1 sts-ext-name, RFC 8460 §3 tlsrpt-ext-name
export const EXT_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/; // RFC 8461 §3.1 sts-ext-value, RFC 8460 §3 tlsrpt-ext-value
export const WSP = /^[ \t]*|[ \t]*$/g; // RFC 5234 B.1: WSP is space or horizontal tab, nothing else

/**
 * The fields between separators, or null when the record leaves the grammar: white space (space or
 * tab only) belongs to a separator, so it may not start the record or end it after the last field.
 */
export function splitFields(text: string): string[] | null {
  const fields = text.split(/[ \t]*;[ \t]*/);
  if (fields.length > 1 && fields[fields.length - 1] === '') fields.pop(); // a final separator is allowed
  return fields.some((f) => f === '' || /^[ \t]|[ \t]$/.test(f)) ? null : fields;
}
