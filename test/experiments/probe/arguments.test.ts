// The probe Experiment's second line of argument checks (top of src/experiments/probe/implementation.js), run in
// Node as Thunderbird runs the file: a plain script whose top-level declarations land on its global.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';

type Check = (what: string, args: unknown[]) => string | null;
const scope: { probeArgumentError?: Check; ExtensionCommon: unknown } = { ExtensionCommon: { ExtensionAPI: class {} } };
runInNewContext(readFileSync('src/experiments/probe/implementation.js', 'utf8'), scope);
const check = scope.probeArgumentError as Check;

const request = { host: 'imap.example.test', port: 993, tls: true, timeoutMs: 5000, maxLineOctets: 8192 };

describe('connect', () => {
  test.each([
    { name: 'a host name and sane bounds', change: {}, expected: null },
    { name: 'a trailing dot', change: { host: 'imap.example.test.' }, expected: null },
    { name: 'a single-label name', change: { host: 'localhost' }, expected: null },
    { name: 'an IPv4 literal', change: { host: '127.0.0.1' }, expected: /name, not an address/ },
    { name: 'an IPv6 literal', change: { host: '::1' }, expected: /not letters, digits/ },
    { name: 'an empty host', change: { host: '' }, expected: /1–253 octets/ },
    { name: 'an empty label', change: { host: 'imap..test' }, expected: /label "" is not/ },
    { name: 'a leading hyphen', change: { host: '-imap.test' }, expected: /label "-imap"/ },
    { name: 'an underscore (SRV owner names are not hosts)', change: { host: '_imaps._tcp.test' }, expected: /label "_imaps"/ },
    { name: 'a space', change: { host: 'imap .test' }, expected: /is not letters/ },
    { name: 'a label of 64 octets', change: { host: `${'a'.repeat(64)}.test` }, expected: /label over 63/ },
    { name: 'a name of 254 octets', change: { host: `${'a.'.repeat(126)}ab` }, expected: /1–253 octets/ },
    { name: 'a host that is not a string', change: { host: 42 }, expected: /must be a string/ },
    { name: 'port 0', change: { port: 0 }, expected: /port must be an integer 1–65535/ },
    { name: 'port 65536', change: { port: 65536 }, expected: /port must be/ },
    { name: 'a fractional port', change: { port: 99.5 }, expected: /port must be/ },
    { name: 'tls not a boolean', change: { tls: 'yes' }, expected: /tls must be true or false/ },
    { name: 'no time limit', change: { timeoutMs: undefined }, expected: /timeoutMs must be an integer 100–60000/ },
    { name: 'a time limit over a minute', change: { timeoutMs: 60001 }, expected: /timeoutMs/ },
    { name: 'a line bound of 63 octets', change: { maxLineOctets: 63 }, expected: /maxLineOctets must be an integer 64–65536/ },
    { name: 'a line bound over 64 KiB', change: { maxLineOctets: 65537 }, expected: /maxLineOctets/ },
  ])('$name', ({ change, expected }) => {
    const error = check('connect', [{ ...request, ...change }]);
    if (expected === null) expect(error).toBeNull();
    else expect(error).toMatch(expected);
  });

  test('no request at all', () => expect(check('connect', [null])).toMatch(/request object/));
});

describe('writeLine', () => {
  test.each([
    { name: 'a command', line: 'a1 STARTTLS', expected: null },
    { name: 'an empty line', line: '', expected: null },
    { name: 'CR inside (a second command smuggled in)', line: 'a1 NOOP\ra2 LOGIN x y', expected: /CR, LF or NUL/ },
    { name: 'LF inside', line: 'EHLO x\nAUTH PLAIN', expected: /CR, LF or NUL/ },
    { name: 'NUL inside', line: 'a1\0', expected: /CR, LF or NUL/ },
    { name: '510 octets', line: 'a'.repeat(510), expected: null },
    { name: '511 octets', line: 'a'.repeat(511), expected: /over 510 octets/ },
    { name: 'octets, not characters, count', line: 'é'.repeat(256), expected: /over 510 octets/ },
  ])('$name', ({ line, expected }) => {
    const error = check('writeLine', [1, line]);
    if (expected === null) expect(error).toBeNull();
    else expect(error).toMatch(expected);
  });

  test('a line that is not a string', () => expect(check('writeLine', [1, 42])).toMatch(/must be a string/));
});

test.each(['readLine', 'startTls', 'close', 'writeLine'])('%s needs a positive integer id', (what) => {
  expect(check(what, [0, 'x'])).toMatch(/connection id/);
  expect(check(what, ['1', 'x'])).toMatch(/connection id/);
});

test('an unknown function is refused', () => expect(check('listen', [])).toMatch(/unknown function listen/));
