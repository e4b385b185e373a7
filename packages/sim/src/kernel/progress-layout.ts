// Where a progress cell keeps its numbers in shared memory. Apart from ProgressCell so that the
// watchdog thread polls them without loading the rest: the cell's labels need the explorer.

/** Recipe steps a label holds as numbers; a longer recipe is written as text. */
export const MAX_LABEL_STEPS = 256;
/** Bytes before the ints: the simulated time, then a label's root seed, step seeds and step counts. */
export const INTS_OFFSET = 8 * (2 + 2 * MAX_LABEL_STEPS);
export const INTS = 8;
// Indices into the ints: events of this iteration, iteration number, last event kind and machine,
// label length, machine text length, label steps (TEXT_LABEL: a text label), an iteration runs.
export const [EVENTS, ITERATION, KIND, MACHINE, LABEL_LENGTH, MACHINES_LENGTH, LABEL_STEPS, RUNNING] = [
  0, 1, 2, 3, 4, 5, 6, 7,
];

/** The cell's ints (indices above) in its shared memory. */
export function progressInts(buffer: SharedArrayBuffer): Int32Array {
  return new Int32Array(buffer, INTS_OFFSET, INTS);
}
