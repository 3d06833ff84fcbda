// The popup's create section in words: each step of RFC 6186 §4 as it happens, why a disabled Create button is
// disabled, and what the lookup hint promises — checked against the real en and ja messages.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createBlocker, stepLine } from '../../popup/create-status.ts';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const load = (lang: string): Messages => JSON.parse(readFileSync(`_locales/${lang}/messages.json`, 'utf8')) as Messages;

/** browser.i18n.getMessage over a messages.json: named placeholders, then $1…$9. */
function translator(messages: Messages) {
  return (name: string, ...subs: (string | number)[]): string => {
    const entry = messages[name];
    if (entry === undefined) return name;
    const named = entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, key: string) => entry.placeholders?.[key.toLowerCase()]?.content ?? '');
    return named.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? ''));
  };
}
const en = translator(load('en'));
const ja = translator(load('ja'));

describe('the step line (RFC 6186 §4: full address first, then the local-part)', () => {
  const cases = [
    { name: 'the first try', steps: [{ step: 'trying', username: 'alice@example.org' }], expected: 'Trying alice@example.org …' },
    {
      name: 'the full address refused, the local-part being tried',
      steps: [{ step: 'trying', username: 'alice@example.org' }, { step: 'refused', username: 'alice@example.org' },
        { step: 'trying', username: 'alice' }],
      expected: 'Trying alice@example.org … refused. Trying alice …',
    },
    {
      name: 'the local-part logged in, the account being made',
      steps: [{ step: 'trying', username: 'a@b.example' }, { step: 'refused', username: 'a@b.example' }, { step: 'trying', username: 'a' },
        { step: 'creating', username: 'a' }],
      expected: 'Trying a@b.example … refused. Trying a … logged in. Creating the account …',
    },
    {
      name: 'no password: straight to creating', steps: [{ step: 'creating', username: 'a@b.example' }], expected: 'Creating the account …',
    },
  ] as const;
  test.each(cases)('$name', ({ steps, expected }) => {
    expect(stepLine(steps, en)).toBe(expected);
  });

  test('Japanese reads as Japanese, the names as given', () => {
    expect(stepLine([{ step: 'trying', username: 'alice@example.org' }, { step: 'refused', username: 'alice@example.org' },
      { step: 'trying', username: 'alice' }], ja)).toBe('alice@example.org を試しています… 拒否されました。 alice を試しています…');
  });

  test('a name from the network stays text: markup in it is not interpreted (the line is set with textContent)', () => {
    expect(stepLine([{ step: 'trying', username: '<b>x</b>' }], en)).toBe('Trying <b>x</b> …');
  });
});

describe('a disabled Create button says why', () => {
  test.each([
    {
      name: 'unverified servers not yet trusted',
      state: { needsTrust: true, trusted: false, creating: false },
      expected: 'createNeedsTrust',
    },
    { name: 'trusted', state: { needsTrust: true, trusted: true, creating: false }, expected: null },
    { name: 'verified', state: { needsTrust: false, trusted: false, creating: false }, expected: null },
    { name: 'an account being created', state: { needsTrust: false, trusted: false, creating: true }, expected: 'createBusy' },
  ])('$name', ({ state, expected }) => {
    expect(createBlocker(state)).toBe(expected);
  });

  test('the reasons name the control the user must use, in both languages', () => {
    expect(en('createNeedsTrust')).toContain(en('trustConfiguration'));
    expect(ja('createNeedsTrust')).toContain(ja('trustConfiguration'));
    expect(en('createBusy')).toContain(en('createCancel'));
    expect(ja('createBusy')).toContain(ja('createCancel'));
  });
});

describe('the lookup hint does not contradict the create section, which sends the password to the mail server', () => {
  test('en', () => {
    expect(en('addressHint')).not.toMatch(/no password is sent anywhere/i);
    expect(en('addressHint')).toMatch(/mail server/);
  });
  test('ja', () => {
    expect(ja('addressHint')).not.toContain('どこにも送られません');
    expect(ja('addressHint')).toContain('メールサーバー');
  });
});
