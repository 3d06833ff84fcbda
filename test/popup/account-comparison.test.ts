// What an account row says about the account against its domain's published settings (RFC 6186 §6): servers nothing
// vouches for are never reported as a plain match.
import { describe, expect, test } from 'vitest';
import { comparisonLines } from '../../popup/account-comparison.ts';

const published = (level: 'tls' | 'unverified') => ({ level, reasons: [] });

describe('comparisonLines', () => {
  test.each([
    {
      name: 'verified servers, nothing weaker',
      report: { level: 'tls', published: published('tls'), weaknesses: [] }, expected: [{ message: 'accountMatches' }],
    },
    {
      name: 'an account created on an unverified server (the user trusted it) is not "Matches what the domain publishes"',
      report: { level: 'unverified', published: published('unverified'), weaknesses: [] },
      expected: [{ message: 'accountMatchesUnverified' }],
    },
    { name: 'nothing published', report: { level: 'none', published: null, weaknesses: [] }, expected: [{ message: 'accountNoSrv' }] },
    {
      name: 'weaker than published',
      report: { level: 'starttls', published: published('tls'), weaknesses: ['weak-starttls-while-tls-offered'] },
      expected: [{ reason: 'weak-starttls-while-tls-offered' }],
    },
  ] as const)('$name', ({ report, expected }) => {
    expect(comparisonLines(report)).toEqual(expected);
  });
});
