// Options page: the DoH resolver (presets or a checked custom https URL), fallback, time-out, cache.
import {
  checkResolverUrl, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS, readSettings, RESOLVER_PRESETS, type ResolverSettings,
} from '../src/core/resolver-settings.ts';
import { parseUrl } from '../src/parse-url.ts';
import { SETTINGS_KEY } from '../src/protocol.ts';
import { clearCache } from './connector.ts';
import { api, localize, reasonText, t } from './extension-api.ts';

const area = api.storage.sync ?? api.storage.local;
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const customUrl = $<HTMLInputElement>('custom-url');
const customError = $<HTMLParagraphElement>('custom-error');
const fallback = $<HTMLInputElement>('fallback');
const timeout = $<HTMLInputElement>('timeout');
const useInAccountSetup = $<HTMLInputElement>('use-in-account-setup');
const timeoutError = $<HTMLParagraphElement>('timeout-error');

// Preset names are ours, but still set as text.
const customChoice = $<HTMLInputElement>('choice-custom').closest('label');
for (const preset of RESOLVER_PRESETS) {
  const label = document.createElement('label');
  label.className = 'choice';
  const radio = document.createElement('input');
  radio.type = 'radio';
  radio.name = 'choice';
  radio.value = preset.id;
  const name = document.createElement('span');
  name.textContent = ` ${preset.name} — ${preset.url}`;
  label.append(radio, name);
  customChoice?.before(label);
}
localize(document);

const radios = (): HTMLInputElement[] => [...document.querySelectorAll<HTMLInputElement>('input[name="choice"]')];

async function load(): Promise<void> {
  const settings = readSettings((await area.get(SETTINGS_KEY))[SETTINGS_KEY], parseUrl);
  for (const radio of radios()) radio.checked = radio.value === settings.choice;
  customUrl.value = settings.customUrl;
  fallback.checked = settings.fallback;
  timeout.value = String(settings.timeoutMs);
  useInAccountSetup.checked = settings.useInAccountSetup;
  // Saving before the stored values are shown would overwrite them with blanks.
  $<HTMLButtonElement>('save').disabled = false;
}

$<HTMLFormElement>('options').addEventListener('submit', (event) => {
  event.preventDefault();
  const choice = radios().find((r) => r.checked)?.value ?? 'cloudflare';
  customError.textContent = '';
  timeoutError.textContent = '';
  $('saved').textContent = '';
  let url = '';
  if (choice === 'custom' || customUrl.value.trim() !== '') {
    const checked = checkResolverUrl(customUrl.value, parseUrl);
    if (!checked.ok) {
      customError.textContent = reasonText(checked.reason);
      customUrl.setAttribute('aria-invalid', 'true');
      customUrl.focus();
      return;
    }
    url = checked.url;
  }
  customUrl.removeAttribute('aria-invalid');
  const ms = Number(timeout.value);
  if (!Number.isInteger(ms) || ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) {
    timeoutError.textContent = t('timeoutInvalid', MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    timeout.focus();
    return;
  }
  const settings: ResolverSettings = {
    choice,
    customUrl: url,
    fallback: fallback.checked,
    timeoutMs: ms,
    useInAccountSetup: useInAccountSetup.checked,
  };
  void area.set({ [SETTINGS_KEY]: settings }).then(() => {
    customUrl.value = url;
    $('saved').textContent = t('saved');
  });
});

$('clear').addEventListener('click', () => {
  void clearCache().then(({ cleared }) => {
    $('cleared').textContent = cleared === 1 ? t('cacheClearedOne') : t('cacheCleared', cleared);
  });
});

void load();
