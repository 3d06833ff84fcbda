// The user's existing accounts, how each compares with what its domain publishes, and — with a
// second, confirming click — the move to the servers shown. Servers nothing vouches for are never
// offered as an improvement: they need the user's own trust first (RFC 6186 §6). textContent only.
import type { ServerRef } from '../src/core/index.ts';
import type { AccountReport } from '../src/protocol.ts';
import { comparisonLines } from './account-comparison.ts';
import { el } from './dom.ts';
import { reasonText, t } from './extension-api.ts';

type Shown = NonNullable<AccountReport['proposal']>;

export interface AccountActions {
  /** After the confirming click: move the account to `shown`; resolves to a message. */
  readonly update: (
    accountId: string, shown: { incoming: ServerRef | null; outgoing: ServerRef | null }, trusted: boolean,
  ) => Promise<string>;
  /** RFC 6186 §4: the account fails; look its protocol up again. */
  readonly recheck: (accountId: string) => Promise<void>;
  /** Says a change of state (armed, done) on the list's status line, for screen readers too. */
  readonly announce: (text: string) => void;
}

/** Every row has the same controls: each one's name is its visible text, then the account it acts on. */
const nameAfter = (control: HTMLElement, text: string, address: string): void =>
  control.setAttribute('aria-label', t('forAccount', text, address));

const line = (text: string, className: string): HTMLSpanElement => el('span', text, className);

/** The controls whose request is running, by data-control: a list drawn meanwhile must not let them be sent again. */
const running = new Set<string>();

/** Which control of which account: how the keyboard focus finds its control again in a list drawn anew. */
const markControl = (control: HTMLElement, accountId: string, kind: 'recheck' | 'update' | 'trust'): void => {
  control.dataset.control = `${kind} ${accountId}`;
  if (running.has(control.dataset.control)) control.setAttribute('aria-disabled', 'true');
};

/**
 * Sends a control's request once: aria-disabled while it runs (disabled would drop the keyboard focus), in any list
 * drawn meanwhile too. When it ends, the control drawn since then is usable again; the pressed one keeps what it says.
 */
function runOnce(target: HTMLElement, control: HTMLButtonElement, request: () => Promise<unknown>): void {
  const key = control.dataset.control ?? '';
  if (running.has(key)) return;
  running.add(key);
  control.setAttribute('aria-disabled', 'true');
  void request().finally(() => {
    running.delete(key);
    const now = controlOf(target, key);
    if (now !== control) now?.removeAttribute('aria-disabled');
  });
}

const controlOf = (target: HTMLElement, key: string): HTMLElement | undefined =>
  [...target.querySelectorAll<HTMLElement>('[data-control]')].find((c) => c.dataset.control === key);

export function renderAccounts(target: HTMLElement, accounts: readonly AccountReport[], actions: AccountActions): void {
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && target.contains(active) ? active.dataset.control : undefined;
  target.replaceChildren(...accounts.map((a) => {
    const item = document.createElement('li');
    const { protocol, hostname, port, security } = a.incoming;
    item.textContent = t('accountRow', a.address, protocol.toUpperCase(), hostname, port, t(`security_${security}`));
    item.append(line(t('accountLevel', t(`badgeLevel_${a.level}`)), `level level-${a.level}`));
    if (a.published !== null) {
      item.append(line(t('accountPublished', t(`badgeLevel_${a.published.level}`)), 'then'));
      const worth = a.published.reasons.filter((r) => /-(outside-domain|starttls)$|^dnssec-/.test(r));
      for (const reason of worth) item.append(line(reasonText(reason), 'then'));
    }
    for (const said of comparisonLines(a)) {
      item.append('reason' in said ? line(reasonText(said.reason), 'weak') : line(t(said.message), 'then'));
    }
    if (a.proposal !== null) item.append(...proposalControls(target, a, a.proposal, actions));
    const recheck = document.createElement('button');
    recheck.type = 'button';
    recheck.className = 'update';
    recheck.textContent = t('recheck');
    nameAfter(recheck, recheck.textContent, a.address);
    markControl(recheck, a.accountId, 'recheck');
    recheck.addEventListener('click', () => runOnce(target, recheck, () => actions.recheck(a.accountId)));
    item.append(recheck);
    return item;
  }));
  if (focused !== undefined) refocus(target, focused);
}

/**
 * After a redraw the focus goes back to the same control, else (it is gone, or disabled until its trust box is ticked
 * again) to the account's trust box, else to its look-up-again button.
 */
function refocus(target: HTMLElement, focused: string): void {
  const accountId = focused.slice(focused.indexOf(' ') + 1);
  const candidates = [focused, `trust ${accountId}`, `recheck ${accountId}`].map((key) => controlOf(target, key));
  candidates.find((c) => c !== undefined && !(c instanceof HTMLButtonElement && c.disabled))?.focus();
}

function proposalControls(
  target: HTMLElement, { accountId, address }: AccountReport, proposal: Shown, actions: AccountActions,
): HTMLElement[] {
  const shown = { incoming: proposal.incoming, outgoing: proposal.outgoing };
  const targetText = [shown.incoming, shown.outgoing]
    .flatMap((p) => (p === null ? [] : [`${p.hostname}:${p.port} ${t(`security_${p.security}`)}`])).join(', ');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'update';
  button.textContent = t(proposal.verified ? 'updateOffer' : 'updateOfferUnverified', targetText);
  nameAfter(button, button.textContent, address);
  markControl(button, accountId, 'update');
  const controls: HTMLElement[] = [];
  let trust: HTMLInputElement | null = null;
  if (!proposal.verified) {
    controls.push(line(t('updateUnverified', targetText), 'weak'));
    const label = document.createElement('label');
    trust = document.createElement('input');
    trust.type = 'checkbox';
    trust.className = 'update-trust';
    nameAfter(trust, t('updateTrust'), address);
    markControl(trust, accountId, 'trust');
    label.append(trust, ` ${t('updateTrust')}`);
    controls.push(label);
    button.disabled = true;
    const box = trust;
    box.addEventListener('change', () => {
      button.disabled = !box.checked;
    });
  }
  let armed = false;
  button.addEventListener('click', () => {
    // The first click only asks; the second, confirming click changes the account.
    if (!armed) {
      armed = true;
      button.textContent = t('updateConfirm', targetText);
      nameAfter(button, button.textContent, address);
      actions.announce(t('updateArmed', address, targetText));
      return;
    }
    runOnce(target, button, async () => {
      const message = await actions.update(accountId, shown, trust?.checked === true);
      button.textContent = message;
      actions.announce(message);
    });
  });
  controls.push(button);
  return controls;
}
