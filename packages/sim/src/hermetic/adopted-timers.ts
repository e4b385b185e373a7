import type { SimWorld } from '../kernel/world.js';
import { simulatedWorld } from './active.js';
import { simClearTimeout, SimTimeout } from './sim-timers.js';

/** What hermetic mode touches of Node's real `Timeout` (fields Node itself and libraries read). */
interface RealTimeout {
  _onTimeout: ((...args: unknown[]) => void) | null;
  _idleTimeout: number;
  _repeat: number | null;
  _timerArgs?: unknown[];
  hasRef(): boolean;
  refresh(): RealTimeout;
}

const probe = setTimeout(() => {}, 1);
clearTimeout(probe);
/** The prototype of Node's real timers, whose `refresh` hermetic mode replaces. */
export const realTimeoutPrototype = Object.getPrototypeOf(probe) as RealTimeout;
const realRefresh = realTimeoutPrototype.refresh;
const realClearTimeout = clearTimeout;

/** Real timers that simulated code refreshed: their real schedule is off, a simulated twin runs instead. */
interface Adoption {
  twin: SimTimeout;
  onTimeout: (...args: unknown[]) => void;
  idleTimeout: number;
}
const adopted = new Map<RealTimeout, Adoption>();

/**
 * A real timer created before the simulation (a library's singleton, such as undici's clock tick,
 * made by an earlier real request) and refreshed by simulated code moves to simulated time: its real
 * schedule is stopped and a simulated twin of the calling machine runs its callback. Refreshed by
 * real code, or when the run ends, it goes back to real time.
 */
export function simRefresh(this: RealTimeout): RealTimeout {
  const world = simulatedWorld();
  const entry = adopted.get(this);
  if (world === null) {
    if (entry === undefined) return realRefresh.call(this);
    giveBack(this);
    return this;
  }
  if (entry !== undefined) entry.twin.refresh();
  else adopt(this, world);
  return this;
}

function adopt(timer: RealTimeout, world: SimWorld): void {
  const onTimeout = timer._onTimeout;
  const idleTimeout = timer._idleTimeout;
  if (onTimeout === null || !(idleTimeout >= 0)) return; // cleared: refresh does nothing, as in Node
  const repeat = timer._repeat !== null;
  const refed = timer.hasRef();
  realClearTimeout(timer as unknown as NodeJS.Timeout);
  const fire = (): void => void Reflect.apply(onTimeout, timer, timer._timerArgs ?? []);
  const twin = new SimTimeout(world, fire, [], idleTimeout, repeat);
  if (!refed) twin.unref();
  adopted.set(timer, { twin, onTimeout, idleTimeout });
}

/** Back to real time: the callback and delay are restored and the timer re-armed from now. */
function giveBack(timer: RealTimeout): void {
  const entry = adopted.get(timer);
  if (entry === undefined) return;
  adopted.delete(timer);
  entry.twin.close();
  timer._onTimeout = entry.onTimeout;
  timer._idleTimeout = entry.idleTimeout;
  realRefresh.call(timer);
}

/** Ends every adoption (when hermetic mode is uninstalled). */
export function giveBackAdoptedTimers(): void {
  for (const timer of [...adopted.keys()]) giveBack(timer);
}

/** `clearTimeout`/`clearInterval` that also clears adopted real timers for good. */
export function simClearTimeoutOrAdopted(timer: unknown): void {
  const entry = adopted.get(timer as RealTimeout);
  if (entry === undefined) {
    simClearTimeout(timer);
    return;
  }
  adopted.delete(timer as RealTimeout);
  entry.twin.close();
}
