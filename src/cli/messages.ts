// English text for reason codes, read from the add-on's own `_locales/en` so both say the same.
import messages from '../../_locales/en/messages.json' with { type: 'json' };

const table: Record<string, { message: string } | undefined> = messages;

/** `address-missing-at` → the `reason_address_missing_at` message (locale names allow no '-'). */
export function describe(reason: string): string {
  return table[`reason_${reason.replaceAll('-', '_')}`]?.message ?? reason;
}
