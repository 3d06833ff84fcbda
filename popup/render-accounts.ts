// The user's existing accounts and how each compares with what its domain publishes. textContent only.
import type { AccountReport } from '../src/protocol.ts';
import { reasonText, t } from './extension-api.ts';

export function renderAccounts(target: HTMLElement, accounts: readonly AccountReport[]): void {
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
    return item;
  }));
}
