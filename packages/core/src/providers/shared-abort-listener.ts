import { getEventListeners } from 'node:events';

/** What a wait does when its signal aborts: cancel its timer and reject (called at most once). */
export type AbortAction = (signal: AbortSignal) => void;

const ONCE = Object.freeze({ once: true });

/** Each signal's newest listener, which later waits on that signal join while it is still the last one. */
const newest = new WeakMap<AbortSignal, SharedAbortListener>();

/**
 * One 'abort' listener on a signal that runs the abort actions of many waits, in the order they were
 * added. Node's `EventTarget` walks its whole list on every `addEventListener`, so one listener per
 * sleep made N sleeps on a shared signal cost O(N²), and each cost more than a simulated sleep.
 *
 * A wait joins the signal's newest listener only while no other listener was added after it; otherwise
 * it gets a new one. Every action therefore runs exactly where a listener of its own would have run:
 * after the listeners added before it and before those added after it, so rejections keep their order
 * among other microtasks and `stopImmediatePropagation` stops the same actions. The last action to
 * leave takes the listener off the signal, as removing a listener of its own would: Node keeps a
 * timeout or composite signal alive for as long as it has an abort listener.
 */
export class SharedAbortListener {
  readonly #signal: AbortSignal;
  readonly #actions = new Set<AbortAction>();
  readonly #listener = (): void => {
    if (newest.get(this.#signal) === this) newest.delete(this.#signal);
    for (const action of this.#actions) action(this.#signal);
    this.#actions.clear();
  };

  private constructor(signal: AbortSignal) {
    this.#signal = signal;
    signal.addEventListener('abort', this.#listener, ONCE);
  }

  /**
   * Runs `action` when `signal` (not aborted yet) aborts, unless it is removed first from the listener
   * returned here.
   */
  static add(signal: AbortSignal, action: AbortAction): SharedAbortListener {
    let shared = newest.get(signal);
    if (shared === undefined || !shared.#isLast()) {
      shared = new SharedAbortListener(signal);
      newest.set(signal, shared);
    }
    shared.#actions.add(action);
    return shared;
  }

  /** Removes `action` (its wait ended otherwise); the last one to leave takes the listener off the signal. */
  remove(action: AbortAction): void {
    const actions = this.#actions;
    if (!actions.delete(action) || actions.size > 0) return;
    this.#signal.removeEventListener('abort', this.#listener);
    if (newest.get(this.#signal) === this) newest.delete(this.#signal);
  }

  /** Whether no listener was added to the signal after this one (only Node's own signals can tell). */
  #isLast(): boolean {
    if (!(this.#signal instanceof EventTarget)) return false;
    const listeners = getEventListeners(this.#signal, 'abort');
    return listeners[listeners.length - 1] === this.#listener;
  }
}
