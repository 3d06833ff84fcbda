// RFC 6186 §4: the user names a client tries, in order.
import type { EmailAddress } from '../address/parse-address.ts';

/** The full address first, then the local-part (unquoted); never the same name twice. */
export function loginNames(address: EmailAddress): string[] {
  return [...new Set([address.address, address.mailbox])];
}
