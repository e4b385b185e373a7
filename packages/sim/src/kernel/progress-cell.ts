/**
 * A thread's simulation progress in shared memory, so that a watchdog thread can see it even when
 * this thread is stuck (a synchronous loop, or an endless chain of promises, in simulated code).
 * The kernel writes a few numbers per processed event (plain stores: a reader on another thread may
 * see a value one event old, which is all a watchdog needs); the engine writes a label per
 * iteration and the machines' names as they are added.
 */
export class ProgressCell {
  /** Events processed this iteration, iteration number, last event kind, its machine, text lengths. */
  private readonly ints: Int32Array;
  /** Simulated time of the last event, in ticks. */
  private readonly time: Float64Array;
  private readonly labelBytes: Uint8Array;
  private readonly machineBytes: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(ProgressCell.BYTES)) {
    this.time = new Float64Array(buffer, 0, 1);
    this.ints = new Int32Array(buffer, 8, INTS);
    this.labelBytes = new Uint8Array(buffer, 8 + INTS * 4, LABEL_BYTES);
    this.machineBytes = new Uint8Array(buffer, 8 + INTS * 4 + LABEL_BYTES, MACHINE_BYTES);
  }

  static readonly BYTES = 8 + 6 * 4 + 512 + 4096;

  /** One processed event: the hot path (a handful of stores). */
  event(time: number, kind: number, machine: number): void {
    const ints = this.ints;
    ints[EVENTS] = (ints[EVENTS] as number) + 1;
    ints[KIND] = kind;
    ints[MACHINE] = machine;
    this.time[0] = time;
  }

  /** A new iteration begins; `label` names it (the seed, or the recipe of a timeline). */
  beginIteration(label: string): void {
    const ints = this.ints;
    ints[EVENTS] = 0;
    ints[KIND] = 0;
    ints[MACHINE] = -1;
    ints[MACHINES_LENGTH] = 0;
    this.time[0] = 0;
    ints[LABEL_LENGTH] = writeText(this.labelBytes, 0, label);
    // Last: a reader that sees the new number sees the new label.
    ints[ITERATION] = (ints[ITERATION] as number) + 1;
  }

  /** Between iterations (reports, merging): nothing simulated runs, so no stall can be blamed on it. */
  endIteration(): void {
    this.ints[LABEL_LENGTH] = 0;
    this.ints[ITERATION] = (this.ints[ITERATION] as number) + 1;
  }

  /** Machine `index` of the iteration is `text` (its address and name), for the watchdog's message. */
  machineAdded(index: number, text: string): void {
    const at = this.ints[MACHINES_LENGTH] as number;
    this.ints[MACHINES_LENGTH] = at + writeText(this.machineBytes, at, `${index}\t${text}\n`);
  }

  /** What a watchdog reads. */
  snapshot(): ProgressSnapshot {
    const ints = this.ints;
    const labelLength = ints[LABEL_LENGTH] as number;
    const machineIndex = ints[MACHINE] as number;
    const machines = readText(this.machineBytes, ints[MACHINES_LENGTH] as number);
    const line = machines.split('\n').find((l) => l.startsWith(`${machineIndex}\t`));
    return {
      iteration: ints[ITERATION] as number,
      events: ints[EVENTS] as number,
      running: labelLength > 0,
      label: readText(this.labelBytes, labelLength),
      timeTicks: this.time[0] as number,
      lastKind: ints[KIND] as number,
      lastMachine: machineIndex < 0 ? null : (line?.slice(line.indexOf('\t') + 1) ?? `machine ${machineIndex}`),
    };
  }
}

export interface ProgressSnapshot {
  /** Changes with every iteration begun or ended. */
  iteration: number;
  events: number;
  /** An iteration is under way. */
  running: boolean;
  label: string;
  timeTicks: number;
  /** Kind of the last event processed (0: none yet). */
  lastKind: number;
  /** Address and name of the machine that owned it; null for the simulator's own events. */
  lastMachine: string | null;
}

const INTS = 6;
const [EVENTS, ITERATION, KIND, MACHINE, LABEL_LENGTH, MACHINES_LENGTH] = [0, 1, 2, 3, 4, 5];
const LABEL_BYTES = 512;
const MACHINE_BYTES = 4096;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes as much of `text` as fits at `at`; returns the bytes written. */
function writeText(into: Uint8Array, at: number, text: string): number {
  return encoder.encodeInto(text, into.subarray(at)).written;
}

function readText(from: Uint8Array, length: number): string {
  // Decoding needs an unshared copy.
  return decoder.decode(from.slice(0, length));
}

let watched: ProgressCell | null = null;

/** The cell this thread's simulations report to, or null when no watchdog watches. */
export function watchedProgress(): ProgressCell | null {
  return watched;
}

export function setWatchedProgress(cell: ProgressCell | null): void {
  watched = cell;
}

/**
 * A progress cell for another thread (an exploration worker) that the watchdog watches until
 * `release()`: the thread reports to `new ProgressCell(buffer)`.
 */
export interface ThreadWatch {
  readonly buffer: SharedArrayBuffer;
  release(): void;
}

/** Makes a watched cell for a thread called `name`. */
export type WatchThread = (name: string) => ThreadWatch;
