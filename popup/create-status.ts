// The create section's words (no DOM, so it is tested under Node): the step line while an account is made (RFC 6186
// §4: each username in turn) and why a disabled Create button is disabled. The caller sets the text with textContent.
import type { CreateStep } from '../src/protocol.ts';

export type Translate = (name: string, ...substitutions: (string | number)[]) => string;

/** "Trying alice@example.org … refused. Trying alice …": one sentence per username, in the order tried. */
export function stepLine(steps: readonly CreateStep[], t: Translate): string {
  const parts: { key: string; username: string }[] = [];
  for (const { step, username } of steps) {
    const last = parts.at(-1);
    const current = last !== undefined && last.key === 'createTrying' && last.username === username ? last : undefined;
    if (step === 'trying') parts.push({ key: 'createTrying', username });
    else if (current !== undefined) current.key = step === 'refused' ? 'createRefused' : 'createLoggedIn';
    if (step === 'creating') parts.push({ key: 'createCreating', username });
  }
  return parts.map(({ key, username }) => t(key, username)).join(' ');
}

/** The message saying why Create is disabled, or null when it is enabled. */
export function createBlocker(
  { needsTrust, trusted, creating, oauth2Only = false }: { needsTrust: boolean; trusted: boolean; creating: boolean; oauth2Only?: boolean },
): string | null {
  if (creating) return 'createBusy';
  // RFC 7628: only OAuth2 is offered and Thunderbird knows no provider for the host; a password cannot work.
  if (oauth2Only) return 'reason_account_oauth2_only';
  // RFC 6186 §6: servers nothing vouches for are used only once the user ticked the trust box.
  return needsTrust && !trusted ? 'createNeedsTrust' : null;
}
