import { ticksToMs } from '../kernel/ticks.js';
import type { SimWorld } from '../kernel/world.js';
import { simulatedWorld } from './active.js';

/** What `Date.now()` returns at simulated time 0: 2020-01-01T00:00:00.000Z. */
export const SIM_EPOCH_MS = Date.UTC(2020, 0, 1);

// Taken when the module loads, before any patch.
const RealDate = Date;
/** The real `performance.now()`, also while hermetic mode replaces the global (an iteration's wall time). */
export const realPerformanceNow: () => number = performance.now.bind(performance);
const realHrtime = process.hrtime;

/** The calling machine's wall clock (its drift included), in whole ms since the Unix epoch, as `Date.now()`. */
function wallClockMs(world: SimWorld): number {
  return SIM_EPOCH_MS + Math.floor(ticksToMs(world.now + (world.current?.driftTicks ?? 0)));
}

/** `Date.now()`: simulated in simulated code, real elsewhere. */
export function simDateNow(): number {
  const world = simulatedWorld();
  return world === null ? RealDate.now() : wallClockMs(world);
}

/**
 * A stand-in for the global `Date`: `new Date()` and `Date()` read `simDateNow()`; every other form
 * is the real constructor's. Instances are real `Date`s (same prototype), so `instanceof Date` holds.
 */
export const SimDate = function Date(this: unknown, ...args: unknown[]): unknown {
  if (new.target === undefined) return new RealDate(simDateNow()).toString();
  return Reflect.construct(RealDate, args.length === 0 ? [simDateNow()] : args, new.target);
} as unknown as DateConstructor;
Object.setPrototypeOf(SimDate, RealDate);
Object.defineProperty(SimDate, 'prototype', { value: RealDate.prototype, writable: false });
Object.defineProperty(SimDate, 'length', { value: RealDate.length });
Object.defineProperty(SimDate, 'now', { value: simDateNow, writable: true, configurable: true });

/** `performance.now()`: simulated ms since the iteration began (no drift: it is a monotonic clock). */
export function simPerformanceNow(this: unknown): number {
  const world = simulatedWorld();
  return world === null ? realPerformanceNow() : ticksToMs(world.now);
}

const NS_PER_SECOND = 1_000_000_000;

/** `process.hrtime([previous])` on simulated time; `.bigint()` below. */
export const simHrtime = Object.assign(
  function hrtime(previous?: [number, number]): [number, number] {
    const world = simulatedWorld();
    if (world === null) return realHrtime(previous);
    const ns = world.now * 1000;
    let seconds = Math.floor(ns / NS_PER_SECOND);
    let nanos = ns - seconds * NS_PER_SECOND;
    if (previous !== undefined) {
      if (!Array.isArray(previous) || previous.length !== 2) {
        throw new TypeError('process.hrtime: "time" must be an array of two numbers ([seconds, nanoseconds])');
      }
      seconds -= previous[0];
      nanos -= previous[1];
      if (nanos < 0) {
        seconds--;
        nanos += NS_PER_SECOND;
      }
    }
    return [seconds, nanos];
  },
  {
    bigint(): bigint {
      const world = simulatedWorld();
      return world === null ? realHrtime.bigint() : BigInt(world.now) * 1000n;
    },
  },
) as typeof process.hrtime;
