// Platform.timeout on setTimeout, so vitest's fake timers drive time-outs: no test waits on the wall clock.
import { vi } from 'vitest';

export function timerTimeout(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  return controller.signal;
}

/** Advances fake time by `ms` and says whether `promise` has settled by then. */
export async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<{ settled: true; value: T } | { settled: false }> {
  let outcome: { settled: true; value: T } | { settled: false } = { settled: false };
  void promise.then((value) => (outcome = { settled: true, value }));
  await vi.advanceTimersByTimeAsync(ms);
  return outcome;
}
