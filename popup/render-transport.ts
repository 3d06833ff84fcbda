// The per-domain transport rows (MTA-STS, TLS-RPT, DANE), each with a one-line explanation.
// textContent only: policy text, report addresses and host names never become markup.
import type { Transport } from '../src/core/index.ts';
import { el } from './dom.ts';
import { reasonText, t } from './extension-api.ts';

const DAY = 86400;
const HOUR = 3600;

/** max_age in the largest whole unit that fits (RFC 8461 §3.2 gives seconds). */
function duration(seconds: number): string {
  if (seconds >= DAY && seconds % DAY === 0) return t('duration_days', seconds / DAY);
  if (seconds >= HOUR && seconds % HOUR === 0) return t('duration_hours', seconds / HOUR);
  return t('duration_seconds', seconds);
}

/** A reason and, where there is one, its detail (TXT records arrive here already escaped). */
function failure(r: { readonly reason: string; readonly detail?: string }): string[] {
  return [reasonText(r.reason), ...(r.detail === undefined ? [] : [r.detail])];
}

export function renderTransport(target: HTMLElement, transport: Transport | null): void {
  if (transport === null) {
    target.replaceChildren();
    return;
  }
  const table = el('table', undefined, 'settings transport');
  table.createCaption().textContent = t('transportHeading');
  const row = (label: string, state: string, lines: string[]): void => {
    const tr = table.insertRow();
    const th = el('th', t(label));
    th.scope = 'row';
    tr.append(th);
    const td = tr.insertCell();
    td.className = `state state-${state}`;
    for (const line of lines) td.append(el('span', line, 'line'));
  };

  const sts = transport.mtaSts;
  if (sts.status === 'valid') {
    const mode = sts.mode === 'none' ? 'off' : sts.mode;
    const lines = [reasonText(`mta-sts-${mode}`), t('mtaSts_valid', sts.mode, sts.mx.join(', ') || '—', duration(sts.maxAge))];
    if (sts.mxMismatch.length > 0) lines.push(t('mtaSts_mismatch', sts.mxMismatch.join(', ')));
    // RFC 8461 §3.3: a cached policy applied because the live check failed says so, and why.
    if (sts.live !== undefined) {
      lines.push(reasonText('mta-sts-cached'), ...(sts.live.status === 'absent' ? [t('mtaSts_liveAbsent')] : failure(sts.live)));
    }
    row('label_mtaSts', sts.mxMismatch.length > 0 || sts.live !== undefined ? 'warn' : sts.mode === 'enforce' ? 'good' : 'weak', lines);
  } else if (sts.status === 'absent') {
    row('label_mtaSts', 'weak', [reasonText('mta-sts-absent')]);
  } else if (sts.status === 'error') {
    row('label_mtaSts', 'warn', [reasonText('mta-sts-unchecked'), ...failure(sts)]);
  } else {
    row('label_mtaSts', 'bad', [reasonText('mta-sts-broken'), ...failure(sts)]);
  }

  const rpt = transport.tlsRpt;
  if (rpt.status === 'valid') row('label_tlsRpt', 'good', [reasonText('tls-rpt-on'), t('tlsRpt_valid', rpt.rua.join(', '))]);
  else if (rpt.status === 'absent') row('label_tlsRpt', 'weak', [reasonText('tls-rpt-absent')]);
  else if (rpt.status === 'error') row('label_tlsRpt', 'warn', [reasonText('tls-rpt-unchecked'), ...failure(rpt)]);
  else row('label_tlsRpt', 'bad', [reasonText('tls-rpt-broken'), ...failure(rpt)]);

  const dane = transport.dane.map((d) => {
    const line = t('dane_row', d.host, d.port, t(`dane_${d.status}`));
    return d.reason === undefined ? line : `${line} — ${reasonText(d.reason)}`;
  });
  const states = new Set(transport.dane.map((d) => d.status));
  const daneState = states.has('invalid') ? 'bad' : states.has('error') ? 'warn' : states.has('valid') ? 'good' : 'weak';
  row('label_dane', daneState, dane.length > 0 ? dane : [t('dane_absent')]);
  target.replaceChildren(table);
}
