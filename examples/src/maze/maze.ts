import {
  assertSometimes,
  assertSometimesEach,
  type RandomProvider,
  runStateMachine,
  type StateMachine,
} from 'moonpool';

/**
 * The maze: a program with deeply nested random branches behind layered locks, the exploration
 * benchmark of Moonpool. Opening every lock is the "bug". Brute force needs (0.05^5)^4 luck per
 * attempt; an explorer that splits at each new gate reaches it quickly. It is a state machine, so the
 * explorer starts children from a snapshot of their parent instead of replaying it.
 */

/** Where the maze draws its randomness: the simulation's random provider, or a rigged one in tests. */
export type RandomSource = Pick<RandomProvider, 'random'>;

export const LOCK_COUNT = 4;
/** Nested gates in front of each lock. */
export const GATES_PER_LOCK = 5;
/** Chance of passing one gate. */
export const GATE_PROBABILITY = 0.05;
export const MAX_STEPS = 500;

/** Bit mask of the locks that must already be open before lock `i` can be worked on. */
const PREREQUISITES: readonly number[] = [
  0b0000, // lock 0: free
  0b0001, // lock 1: needs lock 0
  0b0000, // lock 2: free
  0b0101, // lock 3: needs locks 0 and 2
];
const ALL_OPEN = (1 << LOCK_COUNT) - 1;

export type MazeResult = 'BugFound' | 'Exhausted';

export interface MazeOutcome {
  result: MazeResult;
  /** Steps taken (the step that opened the last lock when the bug was found). */
  steps: number;
  /** Bit mask of the open locks. */
  openLocks: number;
}

/** The maze's whole state: plain data (two numbers). */
export interface MazeState {
  /** Bit mask of the open locks. */
  open: number;
  /** Steps taken. */
  steps: number;
}

/**
 * The maze as a state machine of at most `maxSteps` steps. Each step draws one value, then, for each
 * closed lock whose prerequisites are open, walks its gates: every depth reached is an each-bucket
 * `gate {lock, depth, locks}` (locks = how many are open), and passing all gates opens the lock.
 * Opening the last lock ends the run.
 */
export function mazeMachine(maxSteps: number = MAX_STEPS): StateMachine<MazeState, RandomSource> {
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be a positive integer, got ${maxSteps}`);
  return {
    init: () => ({ open: 0, steps: 0 }),
    // Two numbers: copied by hand, faster than the default structuredClone. Literals (not spreads) give
    // every state one hidden class, so the optimised step never meets a second one.
    snapshot: (state) => ({ open: state.open, steps: state.steps }),
    restore: (snapshot) => ({ open: (snapshot as MazeState).open, steps: (snapshot as MazeState).steps }),
    step(state, random) {
      state.steps++;
      // One draw per step, whatever happens after it: it keeps the draws of a step aligned.
      random.random();
      for (let lock = 0; lock < LOCK_COUNT; lock++) {
        const bit = 1 << lock;
        const required = PREREQUISITES[lock] ?? 0;
        if ((state.open & bit) !== 0 || (state.open & required) !== required) continue;
        const locks = countOpen(state.open);
        if (passGates(random, lock, locks)) {
          state.open |= bit;
          assertSometimesEach('lock opens', { lock, locks });
        }
      }
      if (state.open === ALL_OPEN) {
        assertSometimes(true, 'all locks open');
        return false;
      }
      return state.steps < maxSteps;
    },
  };
}

/** Runs the maze for at most `maxSteps` steps (see `mazeMachine`). */
export function runMaze(random: RandomSource, maxSteps: number = MAX_STEPS): MazeOutcome {
  const { state } = runStateMachine(mazeMachine(maxSteps), random);
  return { result: state.open === ALL_OPEN ? 'BugFound' : 'Exhausted', steps: state.steps, openLocks: state.open };
}

/** Walks the nested gates of `lock`; true when every one of them passed. */
function passGates(random: RandomSource, lock: number, locks: number): boolean {
  for (let depth = 1; depth <= GATES_PER_LOCK; depth++) {
    assertSometimesEach('gate', { lock, depth, locks });
    if (random.random() >= GATE_PROBABILITY) return false;
  }
  return true;
}

function countOpen(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}
