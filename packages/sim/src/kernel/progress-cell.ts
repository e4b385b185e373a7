import { formatBugRecipe, type Recipe, type RecipeStep } from '@moonpool/explorer';
import {
  EVENTS,
  INTS,
  INTS_OFFSET,
  ITERATION,
  KIND,
  LABEL_LENGTH,
  LABEL_STEPS,
  MACHINE,
  MACHINES_LENGTH,
  MAX_LABEL_STEPS,
  progressInts,
  RUNNING,
} from './progress-layout.js';

/** `LABEL_STEPS` of a label written as text. */
const TEXT_LABEL = -1;
const LABEL_BYTES = 512;
const MACHINE_BYTES = 4096;

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
  /** A timeline's label as numbers: its root seed, then the recipe's step seeds. */
  private readonly seeds: BigUint64Array;
  /** The recipe's step counts. */
  private readonly counts: Float64Array;
  /** The simulation name the label bytes hold (written again only when it changes). */
  private labelName: string | null = null;
  /** The machines written for the last iteration, and where each one's text ends. */
  private readonly machineIps: string[] = [];
  private readonly machineNames: string[] = [];
  private readonly machineEnds: number[] = [];

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(ProgressCell.BYTES)) {
    this.time = new Float64Array(buffer, 0, 1);
    this.seeds = new BigUint64Array(buffer, 8, 1 + MAX_LABEL_STEPS);
    this.counts = new Float64Array(buffer, 8 * (2 + MAX_LABEL_STEPS), MAX_LABEL_STEPS);
    this.ints = progressInts(buffer);
    this.labelBytes = new Uint8Array(buffer, INTS_OFFSET + INTS * 4, LABEL_BYTES);
    this.machineBytes = new Uint8Array(buffer, INTS_OFFSET + INTS * 4 + LABEL_BYTES, MACHINE_BYTES);
  }

  static readonly BYTES = INTS_OFFSET + INTS * 4 + LABEL_BYTES + MACHINE_BYTES;

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
    this.labelName = null;
    this.ints[LABEL_STEPS] = TEXT_LABEL;
    this.begin(writeText(this.labelBytes, 0, label));
  }

  /**
   * A new iteration begins: timeline `recipe` (empty: the root, named by its seed) of `rootSeed` in
   * simulation `name`. Stored as numbers, not as text: an exploration begins thousands of timelines
   * a second, and the watchdog reads the label only when one is stuck (`snapshot` writes it out as
   * `<name>\tseed\t<seed>` or `<name>\trecipe\t<seed>:<recipe>`).
   */
  beginTimeline(name: string, rootSeed: bigint, recipe: Recipe): void {
    const n = recipe.length;
    if (n > MAX_LABEL_STEPS) {
      this.beginIteration(`${name}\trecipe\t${formatBugRecipe({ rootSeed, recipe })}`);
      return;
    }
    this.seeds[0] = rootSeed;
    for (let i = 0; i < n; i++) {
      const step = recipe[i] as RecipeStep;
      this.counts[i] = step.count;
      this.seeds[i + 1] = step.seed;
    }
    this.ints[LABEL_STEPS] = n;
    if (this.labelName !== name) {
      this.labelName = name;
      this.ints[LABEL_LENGTH] = writeText(this.labelBytes, 0, name);
    }
    this.begin(this.ints[LABEL_LENGTH] as number);
  }

  private begin(labelLength: number): void {
    const ints = this.ints;
    ints[EVENTS] = 0;
    ints[KIND] = 0;
    ints[MACHINE] = -1;
    ints[MACHINES_LENGTH] = 0;
    this.time[0] = 0;
    ints[LABEL_LENGTH] = labelLength;
    ints[RUNNING] = 1;
    // Last: a reader that sees the new number sees the new label.
    ints[ITERATION] = (ints[ITERATION] as number) + 1;
  }

  /** Between iterations (reports, merging): nothing simulated runs, so no stall can be blamed on it. */
  endIteration(): void {
    this.ints[RUNNING] = 0;
    this.ints[ITERATION] = (this.ints[ITERATION] as number) + 1;
  }

  /** Machine `index` of the iteration is at `ip` and called `name`, for the watchdog's message. */
  machineAdded(index: number, ip: string, name: string): void {
    const at = this.ints[MACHINES_LENGTH] as number;
    // Iterations of a simulation mostly build the same machines: their text is already there.
    const ips = this.machineIps;
    const names = this.machineNames;
    if (ips[index] === ip && names[index] === name && (index === 0 ? 0 : this.machineEnds[index - 1]) === at) {
      this.ints[MACHINES_LENGTH] = this.machineEnds[index] as number;
      return;
    }
    const end = at + writeText(this.machineBytes, at, `${index}\t${ip} (${name})\n`);
    ips[index] = ip;
    names[index] = name;
    this.machineEnds[index] = end;
    // What followed was written after the old text of this machine: it no longer matches.
    ips.length = index + 1;
    this.ints[MACHINES_LENGTH] = end;
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
      running: ints[RUNNING] === 1,
      label: this.label(labelLength),
      timeTicks: this.time[0] as number,
      lastKind: ints[KIND] as number,
      lastMachine: machineIndex < 0 ? null : (line?.slice(line.indexOf('\t') + 1) ?? `machine ${machineIndex}`),
    };
  }

  /** The iteration's label as text (see `beginTimeline`). */
  private label(length: number): string {
    const steps = this.ints[LABEL_STEPS] as number;
    const text = readText(this.labelBytes, length);
    if (steps === TEXT_LABEL) return text;
    const rootSeed = this.seeds[0] as bigint;
    if (steps === 0) return `${text}\tseed\t${rootSeed}`;
    const recipe: RecipeStep[] = [];
    for (let i = 0; i < steps; i++) recipe.push({ count: this.counts[i] as number, seed: this.seeds[i + 1] as bigint });
    return `${text}\trecipe\t${formatBugRecipe({ rootSeed, recipe })}`;
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
