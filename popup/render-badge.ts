// The badge block: level, reasons, DNSSEC. textContent only (nothing from the network is markup).
import type { Discovery } from '../src/core/index.ts';
import { el } from './dom.ts';
import { reasonText, t } from './extension-api.ts';

/** `checking`: the settings before the verdict (docs/performance.md#two-phases) — their TLS and DNSSEC facts, no level. */
export function renderBadge(target: HTMLElement, discovery: Discovery, checking = false): void {
  const { level, reasons } = discovery.badge;
  // The level heads the result: screen-reader users reach it by heading, under the page's h1.
  const heading = el('h2', t(checking ? 'badgeChecking' : `badgeLevel_${level}`), `badge badge-${checking ? 'checking' : level}`);
  const list = el('ul', undefined, 'reasons');
  // DNSSEC and the transport checks have their own rows; listing them here too would say it twice. Before the
  // verdict only the TLS facts are sure (RFC 8314 §5.1): whether a server is vouched for waits for the probe and TLSA.
  const shown = checking ? reasons.filter((r) => r === 'all-implicit-tls' || r.endsWith('-starttls')) : reasons;
  for (const reason of shown.filter((r) => !/^(dnssec|mta-sts|tls-rpt|dane)-/.test(r))) {
    list.append(el('li', reasonText(reason)));
  }
  const dnssec = el('p', t(discovery.dnssec ? 'dnssecYes' : 'dnssecNo'), 'dnssec');
  target.replaceChildren(heading, list, dnssec);
}
