// The server probe's rows under each setting (RFC 6186 §6 via RFC 6125 §6, RFC 7673 §3): what vouches for the
// server and the certificate facts. textContent only: names and issuers come from the network.
import type { Setting } from '../src/core/index.ts';
import { el } from './dom.ts';
import { reasonText, t } from './extension-api.ts';

const VOUCHER_MESSAGE = {
  'in-domain': 'voucher_in_domain',
  dnssec: 'label_voucher_dnssec',
  certificate: 'voucher_certificate',
  dane: 'label_voucher_dane',
  user: 'voucher_user',
} as const;

function row(label: string, value: string, className?: string): HTMLTableRowElement {
  const tr = el('tr');
  const th = el('th', label);
  th.scope = 'row';
  tr.append(th, el('td', value, className === undefined ? 'value' : `value ${className}`), el('td'));
  return tr;
}

export function probeRows(setting: Setting): HTMLTableRowElement[] {
  const vouchers = setting.verifiedBy.length === 0 ? t('voucher_none') : setting.verifiedBy.map((v) => t(VOUCHER_MESSAGE[v])).join(', ');
  const rows = [row(t('probeVerifiedBy'), vouchers)];
  const probe = setting.probe;
  if (probe === null) return rows;
  // The state is said in words as well as by colour.
  const status = [t(`probeStatus_${probe.status}`), probe.tlsVersion, probe.reason === undefined ? null : reasonText(probe.reason)];
  rows.push(row(t('probeHeading'), status.filter((s) => s !== null).join(' — '), probe.status === 'failed' ? 'bad' : undefined));
  const c = probe.certificate;
  if (c !== null) {
    const facts = [
      c.valid ? t('probeCertificateValid') : t('probeCertificateInvalid'),
      ...(c.namesTarget ? [t('probeNamesTarget')] : []),
      ...(c.namesDomain ? [t('probeNamesDomain')] : []),
      `${t('probeNotAfter')} ${c.notAfter.slice(0, 10)}`,
      `${t('probeIssuer')} ${c.issuer}`,
    ];
    rows.push(row(t('probeCertificate'), facts.join(' · '), c.valid ? undefined : 'bad'));
  }
  const more = [
    ...(probe.starttls === null ? [] : [`${t('label_probeStarttls')} ${probe.starttls}`]),
    `${t('probeAuth')} ${probe.auth.length === 0 ? '—' : probe.auth.join(' ')}`,
    `${t('label_probeDane')} ${probe.dane}`,
  ];
  rows.push(row(t('label_probeTls'), more.join(' · ')));
  return rows;
}

/** One line of text for a probed alternative: what vouches for it, the probe's state, its mechanisms. */
export function probeSummary(setting: Setting): string {
  const vouchers = setting.verifiedBy.length === 0 ? t('voucher_none') : setting.verifiedBy.map((v) => t(VOUCHER_MESSAGE[v])).join(', ');
  const probe = setting.probe;
  if (probe === null) return vouchers;
  const parts = [
    t(`probeStatus_${probe.status}`),
    probe.tlsVersion,
    probe.reason === undefined ? null : reasonText(probe.reason),
    `${t('probeAuth')} ${probe.auth.length === 0 ? '—' : probe.auth.join(' ')}`,
  ];
  return [vouchers, ...parts.filter((p) => p !== null)].join(' — ');
}

/** "Check this server" for an alternative (RFC 6186 §6: probed only on request); the result replaces the button. */
export function alternativeCheck(setting: Setting, check: (s: Setting) => Promise<Setting | null>): HTMLElement {
  const span = el('span', undefined, 'alternative-check');
  const button = el('button', t('probeCheckServer'));
  button.type = 'button';
  button.setAttribute('aria-label', t('probeCheckServerLabel', `${setting.hostname}:${setting.port}`));
  const result = el('span');
  result.setAttribute('role', 'status');
  button.addEventListener('click', () => {
    button.disabled = true;
    result.textContent = t('probeChecking');
    check(setting).then((probed) => {
      result.textContent = probed === null ? t('probeCheckGone') : probeSummary(probed);
      result.classList.toggle('bad', probed === null || probed.probe?.status === 'failed');
      button.remove();
    }, (error: unknown) => {
      result.textContent = t('error_unexpected', String(error));
      button.disabled = false;
    });
  });
  span.append(' ', button, ' ', result);
  return span;
}
