import { describe, expect, test } from 'vitest';
import { checkResolverUrl, DEFAULT_SETTINGS, readSettings, RESOLVER_PRESETS, resolverList } from '../../src/core/resolver-settings.ts';

const parse = (text: string): URL | null => (URL.canParse(text) ? new URL(text) : null);

describe('resolver settings', () => {
  test.each([
    { text: 'https://dns.example/dns-query', result: { ok: true, url: 'https://dns.example/dns-query' } },
    { text: '  https://dns.example:8443/q?x=1 ', result: { ok: true, url: 'https://dns.example:8443/q?x=1' } },
    { text: 'http://dns.example/dns-query', result: { ok: false, reason: 'resolver-url-not-https' } },
    { text: 'dns.example', result: { ok: false, reason: 'resolver-url-invalid' } },
    { text: 'https://user:pw@dns.example/', result: { ok: false, reason: 'resolver-url-credentials' } },
    { text: 'https://dns.example/#frag', result: { ok: false, reason: 'resolver-url-fragment' } },
    { text: 'javascript:alert(1)', result: { ok: false, reason: 'resolver-url-invalid' } },
  ])('RFC 8484 §3: $text', ({ text, result }) => {
    expect(checkResolverUrl(text, parse)).toEqual(result);
  });

  // RFC 8484 §4.1 publishes resolvers as URI templates (RFC 6570) with the one variable "dns".
  test.each([
    { text: 'https://dns.example/dns-query{?dns}', result: { ok: true, url: 'https://dns.example/dns-query' } },
    { text: ' https://dns.example:8443/q{?dns} ', result: { ok: true, url: 'https://dns.example:8443/q' } },
    { text: 'https://dns.example/q?x=1{&dns}', result: { ok: true, url: 'https://dns.example/q?x=1' } },
    { text: 'https://dns.example/dns-query{?name}', result: { ok: false, reason: 'resolver-url-template' } },
    { text: 'https://dns.example/dns-query{?dns,ct}', result: { ok: false, reason: 'resolver-url-template' } },
    { text: 'https://dns.example/{dns}', result: { ok: false, reason: 'resolver-url-template' } },
    { text: 'https://dns.example/dns-query{?dns}{?dns}', result: { ok: false, reason: 'resolver-url-template' } },
    { text: 'https://dns.example/dns-query{?dns', result: { ok: false, reason: 'resolver-url-template' } },
    { text: 'https://dns.example/q?x=1{?dns}', result: { ok: false, reason: 'resolver-url-template' } },
    { text: 'https://dns.example/q{&dns}', result: { ok: false, reason: 'resolver-url-template' } },
  ])('RFC 8484 §4.1: the URI template $text is expanded to its base URL or refused', ({ text, result }) => {
    expect(checkResolverUrl(text, parse)).toEqual(result);
  });

  test('stored values are read defensively: junk falls back to the defaults, the time-out is clamped', () => {
    expect(readSettings(undefined, parse)).toEqual(DEFAULT_SETTINGS);
    expect(readSettings({ choice: 'custom', customUrl: 'http://evil/', fallback: 'yes', timeoutMs: 10 ** 9 }, parse))
      .toEqual({ choice: DEFAULT_SETTINGS.choice, customUrl: '', fallback: true, timeoutMs: 30000, useInAccountSetup: true });
    expect(readSettings({ choice: 'quad9', timeoutMs: 1 }, parse)).toMatchObject({ choice: 'quad9', timeoutMs: 500 });
    // A template stored by an earlier version is read as the URL it stands for.
    expect(readSettings({ choice: 'custom', customUrl: 'https://dns.example/dns-query{?dns}' }, parse))
      .toMatchObject({ choice: 'custom', customUrl: 'https://dns.example/dns-query' });
  });

  test('the chosen resolver first, then (with fallback) the other presets, never twice', () => {
    const custom = {
      choice: 'custom',
      customUrl: 'https://dns.example/dns-query',
      fallback: true,
      timeoutMs: 5000,
      useInAccountSetup: true,
    };
    expect(resolverList(custom)).toEqual(['https://dns.example/dns-query', ...RESOLVER_PRESETS.map((p) => p.url)]);
    expect(resolverList({ ...custom, fallback: false })).toEqual(['https://dns.example/dns-query']);
    const google = resolverList({ ...DEFAULT_SETTINGS, choice: 'google' });
    expect(google[0]).toBe('https://dns.google/dns-query');
    expect(new Set(google).size).toBe(google.length);
  });
});

describe('the account set-up switch', () => {
  const parse = (text: string): URL | null => { try { return new URL(text); } catch { return null; } };
  test('on by default and for anything but a stored boolean; a stored false is kept', () => {
    expect(readSettings(undefined, parse).useInAccountSetup).toBe(true);
    expect(readSettings({ useInAccountSetup: 'no' }, parse).useInAccountSetup).toBe(true);
    expect(readSettings({ useInAccountSetup: false }, parse).useInAccountSetup).toBe(false);
  });
});
