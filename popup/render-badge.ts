// The badge block: level, reasons, DNSSEC. textContent only (nothing from the network is markup).
import type { Discovery } from '../src/core/index.ts';
import { reasonText, t } from './extension-api.ts';

export function renderBadge(target: HTMLElement, discovery: Discovery): void {
  const { level, reasons } = discovery.badge;
  const heading = document.createElement('p');
  heading.className = `badge badge-${level}`;
  heading.textContent = t(`badgeLevel_${level}`);
  const list = document.createElement('ul');
  list.className = 'reasons';
  // DNSSEC has its own per-domain line below; listing it among the reasons too would say it twice.
  for (const reason of reasons.filter((r) => !r.startsWith('dnssec-'))) {
    const item = document.createElement('li');
    item.textContent = reasonText(reason);
    list.append(item);
  }
  const dnssec = document.createElement('p');
  dnssec.className = 'dnssec';
  dnssec.textContent = t(discovery.dnssec ? 'dnssecYes' : 'dnssecNo');
  target.replaceChildren(heading, list, dnssec);
}
