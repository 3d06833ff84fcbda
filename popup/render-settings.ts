// The settings tables, alternatives and ignored records. textContent only: host names, labels and
// DNS-derived text can never become markup.
import { MAX_SRV_RECORDS_PER_LABEL } from '../src/core/discovery/read-srv-answer.ts';
import type { Discovery, Setting } from '../src/core/index.ts';
import { el } from './dom.ts';
import { reasonText, t } from './extension-api.ts';
import { alternativeCheck, probeRows } from './render-probe.ts';

export interface RenderOptions {
  /** Copy buttons stay disabled until an `unverified` result is confirmed (RFC 6186 §6). */
  readonly usable: boolean;
  /** `what` names the value for the announcement ("Server imap.example.com"). */
  readonly copy: (text: string, what: string, button: HTMLButtonElement) => void;
  /** Before the verdict (docs/performance.md#two-phases): nothing is said about what vouches for the servers yet. */
  readonly checking?: boolean;
}

export function renderSettings(target: HTMLElement, discovery: Discovery, options: RenderOptions): void {
  target.replaceChildren(
    settingTable('incoming', discovery.incoming, discovery, options),
    settingTable('outgoing', discovery.outgoing, discovery, options),
  );
}

function settingTable(side: 'incoming' | 'outgoing', setting: Setting | null, discovery: Discovery, options: RenderOptions): HTMLElement {
  const table = el('table', undefined, 'settings');
  const caption = el('caption', setting === null ? t(side) : `${t(side)} — ${t(`protocol_${setting.protocol}`)}`);
  table.append(caption);
  if (setting === null) {
    const row = table.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 3;
    cell.textContent = t('notFoundSide');
    return table;
  }
  const body = el('tbody');
  const [first = '', ...others] = setting.usernames;
  const rows: [string, string, string | null][] = [
    ['fieldServer', setting.hostname, setting.hostname],
    ['fieldPort', String(setting.port), String(setting.port)],
    ['fieldSecurity', t(`security_${setting.security}`), null],
    ['fieldUsernames', first, first],
  ];
  for (const [label, value, copyable] of rows) {
    const row = el('tr');
    row.append(el('th', t(label)));
    row.lastElementChild?.setAttribute('scope', 'row');
    const cell = el('td', value, 'value');
    if (label === 'fieldUsernames') for (const other of others) cell.append(el('span', t('usernameThen', other), 'then'));
    if (label === 'fieldServer' && !setting.inDomain) cell.append(el('span', t('outsideDomain', discovery.domain), 'warning'));
    const action = el('td');
    if (copyable !== null) {
      const button = el('button', t('copy'), 'copy');
      button.type = 'button';
      button.disabled = !options.usable;
      const what = `${t(label)} ${copyable}`;
      button.setAttribute('aria-label', t('copyLabel', what));
      button.addEventListener('click', () => options.copy(copyable, what, button));
      action.append(button);
    }
    row.append(cell, action);
    body.append(row);
  }
  if (options.checking !== true) body.append(...probeRows(setting));
  table.append(body);
  return table;
}

/** `check`: probes one alternative on request (Thunderbird only); without it the alternatives are a plain list. */
export function renderExtras(target: HTMLElement, discovery: Discovery, check?: (s: Setting) => Promise<Setting | null>): void {
  const parts: HTMLElement[] = [];
  if (discovery.notOffered.length > 0) {
    const names = discovery.notOffered.map((label) => t(`service_${label.split('.')[0]?.slice(1) ?? ''}`));
    parts.push(el('p', t('notOfferedList', names.join(', ')), 'not-offered'));
  }
  if (discovery.alternatives.length > 0) {
    const details = el('details');
    details.append(el('summary', t('alternatives')));
    const list = el('ul');
    for (const s of discovery.alternatives) {
      const item = el('li', `${t(`protocol_${s.protocol}`)} ${s.hostname}:${s.port} ${t(`security_${s.security}`)}`);
      if (check !== undefined) item.append(alternativeCheck(s, check));
      list.append(item);
    }
    details.append(list);
    parts.push(details);
  }
  if (discovery.rejected.length > 0) {
    const details = el('details');
    details.append(el('summary', t('rejectedRecords')));
    const list = el('ul');
    for (const r of discovery.rejected) {
      const text = r.count === undefined
        ? t('rejectedRecord', r.label, r.target, r.port, reasonText(r.reason))
        : r.count === 1 ? t('rejectedOverLimitOne', r.label, MAX_SRV_RECORDS_PER_LABEL)
        : t('rejectedOverLimit', r.label, r.count, MAX_SRV_RECORDS_PER_LABEL);
      list.append(el('li', text, 'rejected'));
    }
    details.append(list);
    parts.push(details);
  }
  target.replaceChildren(...parts);
}
