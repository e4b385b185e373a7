import { abortError, SharedAbortListener, TimeoutError, type TimeProvider } from '@moonpool/core';
import { EventKind } from '../kernel/event-kind.js';
import type { Machine } from '../kernel/machine.js';
import { never, SETTLED } from '../kernel/tasks.js';
import { msToTicks, ticksToMs } from '../kernel/ticks.js';
import type { SimWorld } from '../kernel/world.js';

/** Extra delay randomly added to sleeps (the chaos configuration's buggified delay). */
export interface SleepChaos {
  enabled: boolean;
  probability: number;
  maxMs: number;
}

let captured: (() => void) | null = null;
function captureResolve(resolve: () => void): void {
  captured = resolve;
}

const nothingToCallOff = (): void => {};

export const NO_SLEEP_CHAOS: SleepChaos = { enabled: false, probability: 0, maxMs: 0 };

/** Simulated time for one machine: sleeps are events in the world's queue. */
export class SimTimeProvider implements TimeProvider {
  constructor(
    private readonly world: SimWorld,
    private readonly owner: Machine,
    private readonly chaos: SleepChaos = NO_SLEEP_CHAOS,
  ) {}

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const world = this.world;
    const owner = this.owner;
    if (!owner.alive) return never();
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const ticks = this.delayTicks(ms);
    if (signal === undefined) {
      // Hot path: no per-call closure; the shared executor hands over the resolve function.
      const promise = new Promise<void>(captureResolve);
      world.schedule(ticks, EventKind.Timer, owner, captured as () => void);
      return promise;
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        world.cancel(ev);
        reject(abortError(signal));
      };
      const ev = world.schedule(ticks, EventKind.Timer, owner, () => {
        listener.remove(onAbort);
        resolve();
      });
      const listener = SharedAbortListener.add(signal, onAbort);
    });
  }

  /**
   * The timer of `sleep(ms, signal)` (the same event, the same chaos draws), called off without a
   * signal. `fire` runs one microtask after the event, where a sleep's continuation would.
   */
  callAfter(ms: number, fire: () => void): () => void {
    if (!this.owner.alive) return nothingToCallOff; // like sleep: a dead machine's timer never fires
    const world = this.world;
    let pending = true;
    const run = (): void => {
      if (!pending) return;
      pending = false;
      fire();
    };
    const ev = world.schedule(this.delayTicks(ms), EventKind.Timer, this.owner, () => {
      SETTLED.then(run);
    });
    return () => {
      if (!pending) return;
      pending = false;
      world.cancel(ev);
    };
  }

  now(): number {
    return ticksToMs(this.world.now);
  }

  timer(): number {
    return ticksToMs(this.world.now + this.owner.driftTicks);
  }

  timeout<T>(ms: number, work: Promise<T> | ((signal: AbortSignal) => Promise<T>)): Promise<T> {
    if (!this.owner.alive) return never();
    // A signal only for work that takes one: making an AbortSignal costs more than the timer.
    let controller: AbortController | null = null;
    let promise: Promise<T>;
    if (typeof work === 'function') {
      controller = new AbortController();
      promise = work(controller.signal);
    } else {
      promise = work;
    }
    const world = this.world;
    return new Promise<T>((resolve, reject) => {
      const timer = world.schedule(msToTicks(ms), EventKind.Timer, this.owner, () => {
        const err = new TimeoutError(ms);
        controller?.abort(err);
        reject(err);
      });
      promise.then(
        (value) => {
          world.cancel(timer);
          resolve(value);
        },
        (err: unknown) => {
          world.cancel(timer);
          reject(err);
        },
      );
    });
  }

  /** A timer's delay in ticks: the sleep chaos may add a random delay (drawn from the world's generator). */
  private delayTicks(ms: number): number {
    let ticks = msToTicks(ms);
    const chaos = this.chaos;
    if (chaos.enabled && this.world.rng.random() < chaos.probability) {
      ticks += Math.floor(this.world.rng.random() * msToTicks(chaos.maxMs));
    }
    return ticks;
  }
}
