import type { RandomProvider } from '@moonpool/core';

/**
 * The least a state machine can draw from: `random()`. A machine's `Random` is `RandomProvider` unless
 * it asks for less (so that tests can hand it a rigged source).
 */
export type MachineRandom = Pick<RandomProvider, 'random'>;

/**
 * A deterministic state machine driven by random draws (and the messages and ticks it models in its
 * state): the form of simulation whose exploration children start from a snapshot instead of replaying
 * their parent's prefix. Its steps must be synchronous and depend on nothing but the state and the
 * draws (assertions may be recorded; no buggify, no simulated I/O, no clock), and its whole state must
 * be captured by `snapshot`.
 */
export interface StateMachine<State, Random extends MachineRandom = RandomProvider> {
  /** The state at time zero; may draw. */
  init(random: Random): State;
  /** One step: advances `state` (in place) and returns whether the machine goes on. */
  step(state: State, random: Random): boolean;
  /**
   * The state as plain data (it may be sent to a worker thread, and several children start from one
   * snapshot). Default: `structuredClone(state)`.
   */
  snapshot?(state: State): unknown;
  /** A state of its own from a snapshot (it must not share mutable parts with it). Default: `structuredClone`. */
  restore?(snapshot: unknown): State;
}

/** How a run of a state machine ended. */
export interface MachineRun<State> {
  /** The state after the last step. */
  readonly state: State;
  /** Steps taken (calls of `step`, the last one included). */
  readonly steps: number;
}

/** What snapshotting a machine needs of it. */
export type Snapshotting<State> = Pick<StateMachine<State>, 'snapshot' | 'restore'>;

/** The default snapshot: a deep copy of plain data. */
export function snapshotOf<State>(machine: Snapshotting<State>, state: State): unknown {
  return machine.snapshot ? machine.snapshot(state) : structuredClone(state);
}

/** The default restore: a deep copy, so children of one snapshot never share a mutable part. */
export function restoreFrom<State>(machine: Snapshotting<State>, snapshot: unknown): State {
  return machine.restore ? machine.restore(snapshot) : (structuredClone(snapshot) as State);
}
