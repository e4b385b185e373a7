/** A run stopped by a signal exits with 128 + the signal's number, as shells report a process it killed. */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type InterruptSignal = keyof typeof EXIT_CODES;

const SIGNALS = Object.keys(EXIT_CODES) as InterruptSignal[];

/** Where signals arrive: `process`, or a stand-in in tests. */
export interface SignalSource {
  on(name: InterruptSignal, listener: () => void): unknown;
  removeListener(name: InterruptSignal, listener: () => void): unknown;
}

/**
 * The first SIGINT or SIGTERM aborts the returned signal (its reason is the signal's name), so the run
 * stops at the next iteration boundary and reports what ran. The listeners are then removed: a
 * second signal gets Node's default action and ends the process at once, even while the main
 * thread is busy in an iteration (a JavaScript listener would wait for it).
 */
export function stopOnSignals(
  onFirst: (name: InterruptSignal) => void,
  source: SignalSource = process,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const listeners = new Map<InterruptSignal, () => void>();
  const dispose = (): void => {
    for (const [name, listener] of listeners) source.removeListener(name, listener);
    listeners.clear();
  };
  for (const name of SIGNALS) {
    const listener = (): void => {
      dispose();
      controller.abort(name);
      onFirst(name);
    };
    listeners.set(name, listener);
    source.on(name, listener);
  }
  return { signal: controller.signal, dispose };
}

/** 130 or 143 when `signal` was aborted by SIGINT or SIGTERM (any other reason counts as SIGINT); else null. */
export function interruptExitCode(signal: AbortSignal | undefined): number | null {
  if (signal?.aborted !== true) return null;
  return signal.reason === 'SIGTERM' ? EXIT_CODES.SIGTERM : EXIT_CODES.SIGINT;
}
