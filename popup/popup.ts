// Popup wiring only: DOM events → connector → renderers (docs/architecture.md#conventions).
import { shownServer, serverRef } from '../src/core/accounts/match-shown.ts';
import { offersOnlyOAuth2 } from '../src/core/accounts/oauth2-only.ts';
import { probeFailed } from '../src/core/trust/verified-by.ts';
import type { Discovery, Pending, Setting } from '../src/core/index.ts';
import type { CreateStep, DiscoverResponse, SettingsResponse } from '../src/protocol.ts';
import {
  cancelCreate, capabilities, createAccount, defaultAddress, discover, discoverFinal, discoverSettings, knowsOAuth2, lastResult,
  listAccounts, onCreateProgress, preconnect, probeAlternative,
  recheckAccount, updateAccount,
} from './connector.ts';
import { createBlocker, stepLine } from './create-status.ts';
import { api, localize, reasonText, t } from './extension-api.ts';
import { renderBadge } from './render-badge.ts';
import { renderExtras, renderSettings } from './render-settings.ts';
import { renderTransport } from './render-transport.ts';

// User Timing marks: `npm run bench` reads how long the popup takes to show a cached result.
performance.mark('popup:start');
// Asked first: the extension's messages queue in front of a storage read made after them (8 ms in Chromium under load).
const stored = lastResult();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const form = $<HTMLFormElement>('lookup');
const input = $<HTMLInputElement>('address');
const button = $<HTMLButtonElement>('go');
const status = $<HTMLParagraphElement>('status');
const result = $<HTMLElement>('result');
const confirmBox = $<HTMLDivElement>('confirm');
const trust = $<HTMLInputElement>('trust');
const announcer = $<HTMLParagraphElement>('announce');

localize(document);
// The resolver's TCP + TLS + HTTP/2 set-up happens while the user types: the first lookup then costs one round trip.
void preconnect().catch(() => undefined);

function say(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

/** Tells screen readers what happened; emptied first, so the same news twice is read twice. */
function announce(target: HTMLElement, text: string): void {
  target.textContent = '';
  requestAnimationFrame(() => (target.textContent = text));
}

/** The result of a copy, seen on the button (its name keeps its visible words) and heard from a status line. */
async function copy(text: string, what: string, target: HTMLButtonElement): Promise<void> {
  const show = (label: string, name: string): void => {
    target.textContent = label;
    target.setAttribute('aria-label', name);
  };
  try {
    await navigator.clipboard.writeText(text);
    show(t('copied'), t('copiedWhat', what));
  } catch {
    show(t('copyFailed'), t('copyFailedWhat', what));
  }
  announce(announcer, target.getAttribute('aria-label') ?? '');
  setTimeout(() => show(t('copy'), t('copyLabel', what)), 1500);
}

const createSection = $<HTMLElement>('create');
const createButton = $<HTMLButtonElement>('create-account');
const createStatus = $<HTMLParagraphElement>('create-status');
const createCancel = $<HTMLButtonElement>('create-cancel');
const createWhy = $<HTMLParagraphElement>('create-why');
let canCreate = false;
/** The steps of the creation under way (null: none). */
let createSteps: CreateStep[] | null = null;
/** RFC 7628: a shown server takes only OAuth2 from a provider Thunderbird does not know; a password cannot work. */
let oauth2Only = false;
let shown: Discovery | null = null;
/** The text the shown result was looked up for: typing anything else withdraws it and the tick. */
let shownFor: string | null = null;

/** Thunderbird only: the account can be created once both directions were found (and trusted). */
function updateCreate(): void {
  createSection.hidden = !canCreate || shown === null || shown.incoming === null || shown.outgoing === null;
  // A disabled button says why, next to it (its aria-describedby).
  const blocker = createBlocker({
    needsTrust: shown !== null && needsTrust(shown), trusted: trust.checked, creating: createSteps !== null, oauth2Only,
  });
  createButton.disabled = blocker !== null;
  createWhy.textContent = blocker === null ? '' : t(blocker);
  createCancel.hidden = createSteps === null;
}

/** Says beside the disabled button why: the probe read only OAUTHBEARER/XOAUTH2 and Thunderbird knows no provider. */
async function checkOAuth2(d: Discovery): Promise<void> {
  const only = [d.incoming, d.outgoing].filter((s): s is Setting => s !== null && offersOnlyOAuth2(s));
  if (only.length === 0) return;
  const { known } = await knowsOAuth2(only.map(serverRef));
  if (shown !== d || known.every(Boolean)) return;
  oauth2Only = true;
  updateCreate();
}

/** RFC 6186 §6 (docs/trust.md): unverified servers, and those whose probe failed, are used only once the user confirms. */
const needsTrust = (d: Discovery): boolean =>
  d.badge.level === 'unverified' || [d.incoming, d.outgoing].some((s) => s !== null && probeFailed(s));

function clearResult(): void {
  for (const id of ['badge', 'settings', 'transport', 'extras']) $(id).replaceChildren();
  confirmBox.hidden = true;
  trust.checked = false;
  shown = null;
  shownFor = null;
  oauth2Only = false;
  updateCreate();
  createStatus.textContent = '';
  createStatus.classList.remove('error');
}

function show(response: DiscoverResponse, lookedUp: string): void {
  clearResult();
  if (!response.ok) {
    say(t('error_address', reasonText(response.reason)), true);
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  const d = response.discovery;
  if (d.error !== null) say(t('error_resolver', d.error.name, d.error.resolver, reasonText(d.error.reason)), true);
  else if (d.status === 'not-published') say(t('error_notPublished', d.domain), true);
  else if (d.fromCache) say(t('lookupCached', d.domain));
  else say(t('lookupDone', d.domain, d.timing.elapsedMs, d.timing.queries === 1 ? t('dnsQueryOne') : t('dnsQueries', d.timing.queries)));
  if (d.status === 'resolver-failure') return;

  renderBadge($('badge'), d);
  const draw = (usable: boolean): void => renderSettings($('settings'), d, { usable, copy: (text, what, b) => void copy(text, what, b) });
  confirmBox.hidden = !needsTrust(d);
  trust.checked = false;
  trust.onchange = () => {
    draw(trust.checked);
    updateCreate();
  };
  draw(!needsTrust(d));
  shown = d;
  shownFor = lookedUp;
  updateCreate();
  void checkOAuth2(d);
  renderTransport($('transport'), d.transport);
  renderExtras($('extras'), d, canCreate ? (s) => probeAlternative(d.address, serverRef(s)) : undefined);
}

const PENDING_NAMES: Record<Pending, string> = {
  'mta-sts': 'label_mtaSts', 'tls-rpt': 'label_tlsRpt', dane: 'label_dane', probe: 'probeHeading',
};

/**
 * The settings before the verdict (docs/performance.md#two-phases): what to enter, their TLS and DNSSEC facts, and what
 * is still being checked. No level, nothing "vouched for", copy disabled, no confirmation and no Create: all wait for show().
 */
function showSettings(d: Discovery, pending: readonly Pending[]): void {
  input.removeAttribute('aria-invalid');
  say(t('lookupChecking', d.domain, d.timing.elapsedMs, pending.map((p) => t(PENDING_NAMES[p])).join(', ')));
  renderBadge($('badge'), d, true);
  renderSettings($('settings'), d, { usable: false, checking: true, copy: () => undefined });
  performance.mark('popup:settings');
}

/** One lookup in two answers: the settings first (when there is more to check), then the verdict. */
async function lookUpInTwo(address: string): Promise<DiscoverResponse> {
  // User Timing marks: `npm run bench` reads where a click's time goes (docs/performance.md).
  performance.mark('popup:asked');
  const first: SettingsResponse = await discoverSettings(address);
  performance.mark('popup:answered');
  if (first.final) return first.response;
  if (input.value === address) showSettings(first.discovery, first.pending);
  // A background that restarted in between has lost the lookup: ask again (the cache answers if it finished).
  const final = (await discoverFinal(first.lookup)) ?? (await discover(address));
  performance.mark('popup:final');
  return final;
}

// While a lookup runs the button is aria-disabled, not disabled: a disabled button would drop the keyboard focus.
let busy = false;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (busy) return;
  busy = true;
  const address = input.value;
  button.setAttribute('aria-disabled', 'true');
  // No earlier result stays on screen (or in the create form) while this one is looked up.
  clearResult();
  result.setAttribute('aria-busy', 'true');
  const domain = address.slice(address.lastIndexOf('@') + 1).trim();
  say(t('lookingUp', domain || address));
  // From now on the screen belongs to this text: typing another withdraws the settings, and the verdict is not drawn.
  shownFor = address;
  lookUpInTwo(address)
    .then(
      (response) => {
        if (input.value === address) show(response, address);
      },
      (error: unknown) => say(t('error_unexpected', error instanceof Error ? error.message : String(error)), true),
    )
    .finally(() => {
      busy = false;
      button.removeAttribute('aria-disabled');
      result.removeAttribute('aria-busy');
    });
});

// RFC 6186 §6: a result and its confirmation belong to the address they were looked up for.
input.addEventListener('input', () => {
  if (shownFor !== null && input.value !== shownFor) {
    clearResult();
    say('');
  }
});

$('options').addEventListener('click', () => void api.runtime.openOptionsPage());

// Each step as the background reports it (RFC 6186 §4: full address first, then the local-part), text only.
onCreateProgress((step) => {
  if (createSteps === null) return;
  createSteps.push(step);
  createStatus.textContent = stepLine(createSteps, t);
  // Thunderbird is making the account now: it cannot be stopped half-way (the background refuses a Cancel).
  if (step.step === 'creating') createCancel.disabled = true;
});

createCancel.addEventListener('click', () => {
  createCancel.disabled = true;
  void cancelCreate().catch(() => undefined);
});

createButton.addEventListener('click', () => {
  const password = $<HTMLInputElement>('password').value;
  const d = shown;
  if (d === null || d.incoming === null || d.outgoing === null) return;
  createSteps = [];
  createCancel.disabled = false;
  updateCreate();
  // The pressed button is now disabled: the keyboard focus goes to what can act next.
  createCancel.focus();
  createStatus.classList.remove('error');
  createStatus.textContent = t('creating');
  createAccount({
    // Exactly what is on screen: the background refuses anything a later lookup would change.
    shown: { address: d.address, incoming: shownServer(d.incoming), outgoing: shownServer(d.outgoing) },
    trusted: trust.checked,
    displayName: $<HTMLInputElement>('display-name').value,
    ...(password === '' ? {} : { password, remember: $<HTMLInputElement>('remember').checked }),
  }).then((result) => {
    createStatus.textContent = result.ok ? t('created', result.username) : reasonText(result.reason);
    createStatus.classList.toggle('error', !result.ok);
    if (result.ok) void showAccounts();
  }, (error: unknown) => {
    createStatus.textContent = t('error_unexpected', String(error));
    createStatus.classList.add('error');
  }).finally(() => {
    const focused = document.activeElement === createCancel;
    createSteps = null;
    updateCreate();
    if (focused) createButton.focus();
  });
});

async function showAccounts(): Promise<void> {
  const { accounts } = await listAccounts();
  $('accounts').hidden = accounts.length === 0;
  // Thunderbird only, after the first paint: its own chunk (docs/performance.md#bundle-sizes).
  const { renderAccounts } = await import('./render-accounts.ts');
  renderAccounts($('account-list'), accounts, {
    update: async (accountId, shownServers, trusted) => {
      const result = await updateAccount(accountId, shownServers, trusted);
      if (result.ok) void showAccounts();
      return result.ok ? t('updatedAccount', result.account.address) : reasonText(result.reason);
    },
    announce: (text) => announce($('accounts-status'), text),
    recheck: async (accountId) => {
      await recheckAccount(accountId);
      await showAccounts();
    },
  });
}

// Thunderbird: account creation and the list of existing accounts (not needed for the first paint).
void capabilities().then(({ createAccounts }) => {
  canCreate = createAccounts;
  updateCreate();
  if (createAccounts) void showAccounts();
});

// Show the last result at once (it is already in storage), else prefill Thunderbird's address.
// Neither may overwrite what the user has typed or asked for in the meantime.
const untouched = (): boolean => input.value === '' && !busy;
void stored.then(async (last) => {
  performance.mark('popup:stored');
  if (last !== null && untouched()) {
    input.value = last.input;
    show(last.response, last.input);
    performance.mark('popup:shown');
  } else if (last === null) {
    const address = (await defaultAddress()) ?? '';
    if (untouched()) input.value = address;
  }
  input.focus();
});
