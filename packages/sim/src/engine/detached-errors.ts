import { describeError } from '@moonpool/core';
import { activeWorld } from '../kernel/active-world.js';

type Listener = (...args: unknown[]) => void;

const EVENTS = [
  ['unhandledRejection', 'unhandled-rejection'],
  ['uncaughtException', 'uncaught-exception'],
] as const;

/**
 * While a run lasts, errors detached from every awaited chain (a rejection nobody handles, a throw in
 * a callback) belong to the iteration that is running: they fail it instead of crashing the process
 * or vanishing. The listeners already on `process` (a test runner's, the CLI's) are set aside for the
 * run and put back by the returned function; an error that arrives between iterations goes to them,
 * or, when there are none, is thrown again as Node would.
 */
export function captureDetachedErrors(): () => void {
  const restore: (() => void)[] = [];
  for (const [event, origin] of EVENTS) {
    const saved = process.rawListeners(event) as Listener[];
    process.removeAllListeners(event);
    const handler: Listener = (err, ...rest) => {
      const world = activeWorld();
      if (world !== null) {
        world.fail({ kind: 'detached-error', origin, error: describeError(err) });
        return;
      }
      if (saved.length === 0) throw err;
      for (const listener of saved) listener(err, ...rest);
    };
    process.on(event, handler);
    restore.push(() => {
      process.off(event, handler);
      for (const listener of saved) process.on(event, listener);
    });
  }
  return () => {
    for (const undo of restore) undo();
  };
}
