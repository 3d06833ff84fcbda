// What an account row says about the account against what its domain publishes: a match with servers nothing vouches
// for is said as such, never as a plain "Matches what the domain publishes" (RFC 6186 §6, docs/trust.md).
import type { WeaknessReason } from '../src/core/index.ts';
import type { AccountReport } from '../src/protocol.ts';

export type ComparisonLine = { readonly message: string } | { readonly reason: WeaknessReason };

export function comparisonLines(a: Pick<AccountReport, 'level' | 'published' | 'weaknesses'>): ComparisonLine[] {
  if (a.published === null) return [{ message: 'accountNoSrv' }];
  if (a.weaknesses.length > 0) return a.weaknesses.map((reason) => ({ reason }));
  return [{ message: a.level === 'unverified' ? 'accountMatchesUnverified' : 'accountMatches' }];
}
