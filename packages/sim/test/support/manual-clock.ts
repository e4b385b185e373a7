// A clock for tests of the Node adapters that must control time without real waiting.
import type { TimeProvider } from '@moonpool/core';

/** Lets pending callbacks and continuations run (one macrotask turn). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A clock that moves only when told, to show which timers run on it and check timeouts. */
export class ManualClock implements TimeProvider {
  #now = 0;
  #sleepers: Array<{ at: number; wake: () => void }> = [];

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const sleeper = { at: this.#now + ms, wake: resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(new Error('aborted'));
      });
    });
  }

  now(): number {
    return this.#now;
  }

  timer(): number {
    return this.#now;
  }

  timeout<T>(): Promise<T> {
    throw new Error('not used');
  }

  /** Moves time forward, waking due sleepers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle(); // as in a simulation, time moves only once everything due now has run
    for (;;) {
      const due = this.#sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#sleepers = this.#sleepers.filter((s) => s !== due);
      this.#now = due.at;
      due.wake();
      await settle();
    }
    this.#now = end;
  }

  get pending(): number {
    return this.#sleepers.length;
  }
}
