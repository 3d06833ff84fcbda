// RFC 2782 "Usage rules": lowest priority first; within a priority, weighted random order.

export interface Weighted {
  readonly priority: number;
  readonly weight: number;
}

/** Orders `records` for trying; `random` is uniform in [0, 1) and injected so tests are repeatable. */
export function orderSrvRecords<T extends Weighted>(records: readonly T[], random: () => number): T[] {
  const priorities = [...new Set(records.map((r) => r.priority))].sort((a, b) => a - b);
  return priorities.flatMap((priority) => weightedOrder(records.filter((r) => r.priority === priority), random));
}

function weightedOrder<T extends Weighted>(group: readonly T[], random: () => number): T[] {
  // RFC 2782: weight-0 records go to the front of the list so they keep a small chance of being picked.
  const zero = shuffle(group.filter((r) => r.weight === 0), random);
  let remaining = [...zero, ...group.filter((r) => r.weight > 0)];
  const ordered: T[] = [];
  while (remaining.length > 0) {
    const sum = remaining.reduce((total, r) => total + r.weight, 0);
    // RFC 2782: "choose a uniform random number between 0 and the sum computed (inclusive)".
    const pick = Math.floor(random() * (sum + 1));
    let running = 0;
    const index = remaining.findIndex((r) => (running += r.weight) >= pick);
    const chosen = remaining[index] as T;
    ordered.push(chosen);
    remaining = remaining.filter((_, i) => i !== index);
  }
  return ordered;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
