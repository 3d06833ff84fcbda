// The badge block: level, reasons, DNSSEC. textContent only (nothing from the network is markup).
import type { Discovery } from '../src/core/index.ts';
import { reasonText, t } from './extension-api.ts';

export function renderBadge(target: HTMLElement, discovery: Discovery): void {
  const { level, reasons } = discovery.badge;
  // The level heads the result: screen-reader users reach it by heading, under the page's h1.
  const heading = document.createElement('h2');
  heading.className = `badge badge-${level}`;
  heading.textContent = t(`badgeLevel_${level}`);
  const list = document.createElement('ul');
  list.className = 'reasons';
  // DNSSEC and the transport checks have their own rows; listing them here too would say it twice.
  for (const reason of reasons.filter((r) => !/^(dnssec|mta-sts|tls-rpt|dane)-/.test(r))) {
    const item = document.createElement('li');
    item.textContent = reasonText(reason);
    list.append(item);
  }
  const dnssec = document.createElement('p');
  dnssec.className = 'dnssec';
  dnssec.textContent = t(discovery.dnssec ? 'dnssecYes' : 'dnssecNo');
  target.replaceChildren(heading, list, dnssec);
}
