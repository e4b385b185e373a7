import { describeError, SharedAbortListener, SimulationError } from '@moonpool/core';
import timersPromises from 'node:timers/promises';
import { promisify } from 'node:util';
import { EventKind } from '../kernel/event-kind.js';
import type { Machine } from '../kernel/machine.js';
import { msToTicks } from '../kernel/ticks.js';
import type { ScheduledEvent, SimWorld } from '../kernel/world.js';
import { hermeticWorld, simulatedWorld } from './active.js';

// Taken when the module loads, before any patch.
const real = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate };
const realPromises = {
  setTimeout: timersPromises.setTimeout,
  setImmediate: timersPromises.setImmediate,
  setInterval: timersPromises.setInterval,
  wait: timersPromises.scheduler.wait,
  yield: timersPromises.scheduler.yield,
};

/** Node's largest delay; anything else out of [1, max] becomes 1 ms, as in Node. */
const TIMEOUT_MAX = 2 ** 31 - 1;
const dispose: symbol | undefined = (Symbol as { dispose?: symbol }).dispose;

type Callback = (...args: unknown[]) => unknown;

function normaliseDelay(after: unknown): number {
  const ms = Number(after);
  return ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
}

function checkCallback(callback: unknown): asserts callback is Callback {
  if (typeof callback !== 'function') {
    throw Object.assign(
      new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`),
      { code: 'ERR_INVALID_ARG_TYPE' },
    );
  }
}

/** A throw in a timer callback is an uncaught exception: it fails the iteration, as it would crash Node. */
function runCallback(world: SimWorld, callback: Callback, self: object, args: readonly unknown[]): void {
  try {
    callback.apply(self, args as unknown[]);
  } catch (err) {
    world.fail({ kind: 'detached-error', origin: 'uncaught-exception', error: describeError(err) });
  }
}

/** The world a timer may act in now: the iteration in progress, if it is the timer's own. */
function sameIteration(world: SimWorld): boolean {
  return hermeticWorld() === world;
}

// Primitive ids (`+timeout`, accepted back by clearTimeout), numbered per iteration.
let ids: { world: SimWorld; next: number; timers: Map<number, SimTimeout> } | null = null;

function register(world: SimWorld, timer: SimTimeout): number {
  if (ids === null || ids.world !== world) ids = { world, next: 1, timers: new Map() };
  const id = ids.next++;
  ids.timers.set(id, timer);
  return id;
}

function lookup(id: number): SimTimeout | undefined {
  const world = hermeticWorld();
  return ids !== null && ids.world === world ? ids.timers.get(id) : undefined;
}

/**
 * What Node's `Timeout` and `Immediate` share: a simulated event of the iteration that made it,
 * which `ref`/`unref` make strong or weak (a weak one neither delays settling nor keeps a stuck
 * iteration going), and which only its own iteration may cancel.
 */
abstract class SimTimerEvent {
  protected world: SimWorld;
  protected event: ScheduledEvent | null = null;
  #refed = true;

  constructor(world: SimWorld) {
    this.world = world;
  }

  hasRef(): boolean {
    return this.#refed;
  }

  ref(): this {
    return this.#setRef(true);
  }

  unref(): this {
    return this.#setRef(false);
  }

  /** Schedules the event `delayMs` from now for `owner` (as weak as the handle says). */
  protected schedule(
    delayMs: number,
    kind: EventKind,
    owner: Machine | null,
    fire: () => boolean,
    label: string,
  ): void {
    const ev = this.world.schedule(msToTicks(delayMs), kind, owner, fire, label);
    if (!this.#refed) this.world.setWeak(ev, true);
    this.event = ev;
  }

  /** Cancels the pending event, if any (another iteration's event is gone with that iteration). */
  protected cancelEvent(): void {
    if (this.event !== null && sameIteration(this.world)) this.world.cancel(this.event);
    this.event = null;
  }

  #setRef(refed: boolean): this {
    this.#refed = refed;
    if (this.event !== null && sameIteration(this.world)) this.world.setWeak(this.event, !refed);
    return this;
  }
}

/**
 * Node's `Timeout` on simulated time: an event owned by the machine that created it, so a crash of
 * that machine cancels it.
 */
export class SimTimeout extends SimTimerEvent {
  #owner: Machine | null;
  readonly #callback: Callback;
  readonly #args: readonly unknown[];
  readonly #delayMs: number;
  readonly #repeat: boolean;
  #cleared = false;
  #id = 0;

  constructor(world: SimWorld, callback: Callback, args: readonly unknown[], delayMs: number, repeat: boolean) {
    super(world);
    this.#owner = world.current;
    this.#callback = callback;
    this.#args = args;
    this.#delayMs = delayMs;
    this.#repeat = repeat;
    this.#arm();
  }

  #arm(): void {
    const owner = this.#owner;
    if (owner !== null && !owner.alive) return; // a stopped machine's timers never fire
    this.schedule(this.#delayMs, EventKind.NodeTimer, owner, this.#fire, this.#repeat ? 'setInterval' : 'setTimeout');
  }

  readonly #fire = (): boolean => {
    this.event = null;
    runCallback(this.world, this.#callback, this, this.#args);
    if (this.#repeat && !this.#cleared && this.event === null) this.#arm();
    return true;
  };

  /**
   * Starts the delay again from now (re-arming a timeout that already fired, as Node does). Libraries
   * keep timer singletons across uses (undici's clock tick): refreshed in a later iteration, the timer
   * moves to that iteration and to the calling machine. Outside any iteration it is an error.
   */
  refresh(): this {
    if (this.#cleared) return this;
    const now = hermeticWorld();
    if (now === null) {
      throw new SimulationError(
        'a simulated timer was refreshed outside a simulation: timers created by simulated code live on simulated time only',
      );
    }
    this.cancelEvent();
    this.world = now;
    this.#owner = now.current;
    this.#arm();
    return this;
  }

  close(): this {
    this.#cleared = true;
    this.cancelEvent();
    if (this.#id !== 0 && ids !== null && ids.world === this.world) ids.timers.delete(this.#id);
    return this;
  }

  [Symbol.toPrimitive](): number {
    if (this.#id === 0) this.#id = register(this.world, this);
    return this.#id;
  }
}

/** Node's `Immediate` as a 0 ms simulated event of the calling machine. */
export class SimImmediate extends SimTimerEvent {
  readonly #callback: Callback;
  readonly #args: readonly unknown[];

  constructor(world: SimWorld, callback: Callback, args: readonly unknown[]) {
    super(world);
    this.#callback = callback;
    this.#args = args;
    const owner = world.current;
    if (owner !== null && !owner.alive) return;
    this.schedule(0, EventKind.NodeImmediate, owner, this.#fire, 'setImmediate');
  }

  readonly #fire = (): boolean => {
    this.event = null;
    runCallback(this.world, this.#callback, this, this.#args);
    return true;
  };

  /** What `clearImmediate` does. */
  cancel(): void {
    this.cancelEvent();
  }
}

if (dispose !== undefined) {
  Object.defineProperty(SimTimeout.prototype, dispose, {
    value(this: SimTimeout) {
      this.close();
    },
  });
  Object.defineProperty(SimImmediate.prototype, dispose, {
    value(this: SimImmediate) {
      this.cancel();
    },
  });
}

// --- the global and `node:timers` functions ---------------------------------------------------

export function simSetTimeout(callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
  const world = simulatedWorld();
  if (world === null) return (real.setTimeout as (...a: unknown[]) => unknown)(callback, delay, ...args);
  checkCallback(callback);
  return new SimTimeout(world, callback, args, normaliseDelay(delay), false);
}

export function simSetInterval(callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
  const world = simulatedWorld();
  if (world === null) return (real.setInterval as (...a: unknown[]) => unknown)(callback, delay, ...args);
  checkCallback(callback);
  return new SimTimeout(world, callback, args, normaliseDelay(delay), true);
}

export function simSetImmediate(callback: unknown, ...args: unknown[]): unknown {
  const world = simulatedWorld();
  if (world === null) return (real.setImmediate as (...a: unknown[]) => unknown)(callback, ...args);
  checkCallback(callback);
  return new SimImmediate(world, callback, args);
}

/** `clearTimeout` and `clearInterval` (interchangeable in Node): by object or by primitive id. */
export function simClearTimeout(timer: unknown): void {
  if (timer instanceof SimTimeout) {
    timer.close();
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const found = lookup(Number(timer));
    if (found !== undefined) {
      found.close();
      return;
    }
  }
  real.clearTimeout(timer as Parameters<typeof clearTimeout>[0]);
}

export function simClearImmediate(immediate: unknown): void {
  if (immediate instanceof SimImmediate) {
    immediate.cancel();
    return;
  }
  real.clearImmediate(immediate as Parameters<typeof clearImmediate>[0]);
}

// --- `node:timers/promises` -----------------------------------------------------------------------

interface PromiseTimerOptions {
  signal?: AbortSignal;
  ref?: boolean;
}

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

/** Resolves with `value` after `delayMs` (or at the next 0 ms event when `delayMs` is null). */
function simulatedWait<T>(
  world: SimWorld,
  delayMs: number | null,
  value: T,
  options?: PromiseTimerOptions,
): Promise<T> {
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      if (timer instanceof SimTimeout) timer.close();
      else timer.cancel();
      reject(abortError(signal as AbortSignal));
    };
    const done = (): void => {
      listener?.remove(onAbort);
      resolve(value);
    };
    const timer =
      delayMs === null ? new SimImmediate(world, done, []) : new SimTimeout(world, done, [], delayMs, false);
    if (options?.ref === false) timer.unref();
    // Shared with the signal's other waits, as the time provider's sleeps share it.
    const listener = signal === undefined ? null : SharedAbortListener.add(signal, onAbort);
  });
}

export function simPromiseSetTimeout<T = void>(delay?: number, value?: T, options?: PromiseTimerOptions): Promise<T> {
  const world = simulatedWorld();
  if (world === null) return realPromises.setTimeout(delay, value as T, options);
  return simulatedWait(world, normaliseDelay(delay), value as T, options);
}

export function simPromiseSetImmediate<T = void>(value?: T, options?: PromiseTimerOptions): Promise<T> {
  const world = simulatedWorld();
  if (world === null) return realPromises.setImmediate(value as T, options);
  return simulatedWait(world, null, value as T, options);
}

/** `for await (const v of setInterval(ms, v))`: one value per elapsed interval, ticks queued while nobody waits. */
export function simPromiseSetInterval<T = void>(
  delay?: number,
  value?: T,
  options?: PromiseTimerOptions,
): AsyncIterableIterator<T> {
  const world = simulatedWorld();
  if (world === null) return realPromises.setInterval(delay, value as T, options) as AsyncIterableIterator<T>;
  const signal = options?.signal;
  let ticks = 0;
  let waiter: { resolve: () => void; reject: (err: Error) => void } | null = null;
  const timer = new SimTimeout(
    world,
    () => {
      ticks++;
      waiter?.resolve();
    },
    [],
    normaliseDelay(delay),
    true,
  );
  if (options?.ref === false) timer.unref();
  const onAbort = (): void => {
    timer.close();
    waiter?.reject(abortError(signal as AbortSignal));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      if (signal?.aborted) throw abortError(signal);
      while (ticks === 0) {
        await new Promise<void>((resolve, reject) => {
          waiter = { resolve, reject };
        });
        waiter = null;
      }
      ticks--;
      return { done: false, value: value as T };
    },
    async return(): Promise<IteratorResult<T>> {
      timer.close();
      signal?.removeEventListener('abort', onAbort);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** `scheduler.wait` and `scheduler.yield` of `node:timers/promises`. */
export function simSchedulerWait(delay: number, options?: PromiseTimerOptions): Promise<void> {
  const world = simulatedWorld();
  const scheduler = timersPromises.scheduler;
  if (world === null) return realPromises.wait.call(scheduler, delay, options as never);
  return simulatedWait(world, normaliseDelay(delay), undefined, options);
}

export function simSchedulerYield(): Promise<void> {
  const world = simulatedWorld();
  if (world === null) return realPromises.yield.call(timersPromises.scheduler);
  return simulatedWait(world, null, undefined);
}

// `util.promisify(setTimeout)` finds the promise form through this symbol, as on the real functions.
Object.defineProperty(simSetTimeout, promisify.custom, { value: simPromiseSetTimeout });
Object.defineProperty(simSetImmediate, promisify.custom, { value: simPromiseSetImmediate });
