// The user's existing accounts, how each compares with what its domain publishes, and — with a
// second, confirming click — the move to the published settings. textContent only.
import type { AccountReport } from '../src/protocol.ts';
import { reasonText, t } from './extension-api.ts';

export interface AccountActions {
  /** After the confirming click: move the account to the published settings; resolves to a message. */
  readonly update: (accountId: string) => Promise<string>;
  /** RFC 6186 §4: the account fails; look its protocol up again. */
  readonly recheck: (accountId: string) => Promise<void>;
}

export function renderAccounts(target: HTMLElement, accounts: readonly AccountReport[], actions: AccountActions): void {
  target.replaceChildren(...accounts.map((a) => {
    const item = document.createElement('li');
    item.textContent = t('accountRow', a.address, a.incoming.protocol.toUpperCase(), a.incoming.hostname, a.incoming.port, t(`security_${a.incoming.security}`));
    const lines = a.badge === null ? [t('accountNoSrv')] : a.weaknesses.length === 0 ? [t('accountMatches')] : a.weaknesses.map(reasonText);
    for (const line of lines) {
      const span = document.createElement('span');
      span.className = a.weaknesses.length > 0 ? 'weak' : 'then';
      span.textContent = line;
      item.append(span);
    }
    if (a.proposal !== null) {
      const targetText = [a.proposal.incoming, a.proposal.outgoing]
        .flatMap((p) => (p === null ? [] : [`${p.hostname}:${p.port} ${t(`security_${p.security}`)}`])).join(', ');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'update';
      button.textContent = t('updateOffer', targetText);
      let armed = false;
      button.addEventListener('click', () => {
        // The first click only asks; the second, confirming click changes the account.
        if (!armed) {
          armed = true;
          button.textContent = t('updateConfirm', targetText);
          return;
        }
        button.disabled = true;
        void actions.update(a.accountId).then((message) => (button.textContent = message));
      });
      item.append(button);
    }
    const recheck = document.createElement('button');
    recheck.type = 'button';
    recheck.className = 'update';
    recheck.textContent = t('recheck');
    recheck.addEventListener('click', () => {
      recheck.disabled = true;
      void actions.recheck(a.accountId);
    });
    item.append(recheck);
    return item;
  }));
}
