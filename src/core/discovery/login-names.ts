// RFC 6186 §4: the user names a client tries, in order.
import type { EmailAddress } from '../address/parse-address.ts';
import { toUnicode } from '../address/to-unicode.ts';

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The full address first, then the local-part (unquoted); never the same name twice. The full
 * address keeps one form: with an ASCII local-part it is all ASCII, the domain in A-labels
 * (RFC 5890 §2.3.2.1); a Unicode local-part exists only in an internationalized address, written in
 * UTF-8 with the domain in U-labels (RFC 6531 §3.3, RFC 6532 §3.2), so its domain is shown that way too.
 */
export function loginNames(address: EmailAddress): string[] {
  const full = ASCII.test(address.localPart) ? address.address : `${address.localPart}@${toUnicode(address.domain)}`;
  return [...new Set([full, address.mailbox])];
}
