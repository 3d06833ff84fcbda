// RFC 2782 "Usage rules": priority order, weighted random selection, target ".".
import { describe, expect, test } from 'vitest';
import { orderSrvRecords, type Weighted } from '../../../src/core/discovery/order-srv-records.ts';
import { seededRandom } from '../../support/seeded-random.ts';

interface R extends Weighted { readonly id: string }
const r = (id: string, priority: number, weight: number): R => ({ id, priority, weight });

/** Share of runs in which each record is tried first. */
function firstPickShares(records: readonly R[], runs: number, seed: number): Record<string, number> {
  const random = seededRandom(seed);
  const counts: Record<string, number> = Object.fromEntries(records.map((x) => [x.id, 0]));
  for (let i = 0; i < runs; i++) {
    const first = orderSrvRecords(records, random)[0]!;
    counts[first.id] = (counts[first.id] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([id, n]) => [id, n / runs]));
}

describe('RFC 2782 usage rules', () => {
  test('RFC 2782 "Usage rules": lowest priority value first, whatever the weights (not the maximum weight across priorities)', () => {
    const records = [r('p10-heavy', 10, 1000), r('p0-light', 0, 1), r('p5', 5, 50), r('p0-other', 0, 1)];
    const random = seededRandom(1);
    for (let i = 0; i < 500; i++) {
      const order = orderSrvRecords(records, random).map((x) => x.priority);
      expect(order).toEqual([0, 0, 5, 10]);
    }
  });

  test('RFC 2782 "Usage rules": within a priority, selection is weighted random in proportion to weight (not the lowest weight)', () => {
    const shares = firstPickShares([r('w10', 0, 10), r('w90', 0, 90), r('w0', 0, 0)], 40000, 2026);
    // Uniform pick in [0, sum] inclusive: shares 10/101, 90/101 and 1/101.
    expect(shares.w90).toBeCloseTo(90 / 101, 2);
    expect(shares.w10).toBeCloseTo(10 / 101, 2);
    expect(shares.w0).toBeGreaterThan(0.004);
    expect(shares.w0).toBeLessThan(0.02);
  });

  test('RFC 2782 "Usage rules": every later pick is weighted among the records not yet picked, not only the first', () => {
    // After w10 is picked, the running sum restarts over w30 and w60: pick in [0, 90] → w30 31/91, w60 60/91.
    const records = [r('w10', 0, 10), r('w30', 0, 30), r('w60', 0, 60)];
    const random = seededRandom(77);
    const second: Record<string, number> = { w30: 0, w60: 0 };
    const third: Record<string, number> = { w10: 0, w30: 0, w60: 0 };
    let afterW10 = 0;
    for (let i = 0; i < 60000; i++) {
      const order = orderSrvRecords(records, random).map((x) => x.id);
      third[order[2]!] = (third[order[2]!] ?? 0) + 1;
      if (order[0] !== 'w10') continue;
      afterW10++;
      second[order[1]!] = (second[order[1]!] ?? 0) + 1;
    }
    expect(second.w60! / afterW10).toBeCloseTo(60 / 91, 1);
    expect(second.w30! / afterW10).toBeCloseTo(31 / 91, 1);
    // The lightest record is the one most often left for last.
    expect(third.w10).toBeGreaterThan(third.w30!);
    expect(third.w30).toBeGreaterThan(third.w60!);
  });

  test('RFC 2782 "Usage rules": weight-0 records keep a small chance of being tried first', () => {
    const shares = firstPickShares([r('w0', 0, 0), r('w1000', 0, 1000)], 20000, 99);
    expect(shares.w0).toBeGreaterThan(0);
    expect(shares.w0).toBeLessThan(0.005);
  });

  test('RFC 2782 "Usage rules": all-zero weights are tried in a random order, each first about equally often', () => {
    const shares = firstPickShares([r('a', 0, 0), r('b', 0, 0), r('c', 0, 0)], 30000, 5);
    for (const share of Object.values(shares)) expect(share).toBeCloseTo(1 / 3, 1);
  });

  test('RFC 2782 "Usage rules": every record appears exactly once in the order', () => {
    const records = [r('a', 0, 5), r('b', 0, 0), r('c', 1, 3), r('d', 1, 3), r('e', 2, 0)];
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      expect(orderSrvRecords(records, random).map((x) => x.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    }
  });

  test('RFC 2782 "Usage rules", project side: the order is repeatable for a given random source (randomness is injected)', () => {
    const records = [r('a', 0, 5), r('b', 0, 7), r('c', 0, 9)];
    expect(orderSrvRecords(records, seededRandom(11))).toEqual(orderSrvRecords(records, seededRandom(11)));
  });
});
