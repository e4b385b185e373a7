import type { TimeProvider } from './time.js';

/** The reason a fallback timer is aborted with: made once (aborting without one makes a DOMException). */
const CALLED_OFF = Object.freeze({ name: 'CalledOff' });

/**
 * Calls `fire` after `ms` on `time` unless the returned function is called first (calling it again,
 * or after `fire` ran, does nothing). For timers that are usually called off — a socket's idle
 * timeout, a deadline that the answer beats — this costs no `AbortController`: it uses the
 * provider's `callAfter` (both built-in providers have one) and falls back to
 * `sleep(ms, signal)` for providers without it.
 */
export function callAfter(time: TimeProvider, ms: number, fire: () => void): () => void {
  if (time.callAfter !== undefined) return time.callAfter(ms, fire);
  const controller = new AbortController();
  let pending = true;
  time.sleep(ms, controller.signal).then(
    () => {
      if (!pending) return;
      pending = false;
      fire();
    },
    () => undefined, // called off
  );
  return () => {
    if (!pending) return;
    pending = false;
    controller.abort(CALLED_OFF);
  };
}
