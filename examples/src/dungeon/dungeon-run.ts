import {
  assertSometimes,
  assertSometimesEach,
  assertSometimesGreaterThan,
  runStateMachine,
  type StateMachine,
} from 'moonpool';
import { type RandomSource, STAIRS, TARGET_FLOOR, WIDTH } from './dungeon-floor.js';
import { ACTION_COUNT, DungeonGame, Event, type GameData } from './dungeon-game.js';

export const MAX_STEPS = 10_000;
/** Chance per step on the key tile of finding the key. */
export const KEY_FIND_PROBABILITY = 0.03;
/** Chance that an action repeats the previous one (runs down corridors instead of jittering). */
export const REPEAT_PROBABILITY = 0.7;

export type DungeonResult = 'TreasureFound' | 'Died' | 'OutOfSteps';

export interface DungeonOutcome {
  result: DungeonResult;
  steps: number;
  /** Deepest floor reached. */
  level: number;
  hp: number;
}

const KEY_FOUND = Array.from({ length: TARGET_FLOOR + 1 }, (_, level) => `key found L${level}`);

/** Health as an explorer quality: 0 (≤1 hp), 1 (2 hp), 2 (3–4 hp), 3 (5 hp). */
function healthBucket(hp: number): number {
  return hp <= 1 ? 0 : hp === 2 ? 1 : hp <= 4 ? 2 : 3;
}

/** The whole state of one game in play. */
export interface DungeonState {
  game: DungeonGame;
  /** The previous action (-1 before the first). */
  last: number;
  steps: number;
  /** How the game ended; null while it goes on. */
  result: DungeonResult | null;
}

/** A `DungeonState` as plain data (the machine's snapshot). */
interface DungeonSnapshot {
  readonly game: GameData;
  readonly last: number;
  readonly steps: number;
  readonly result: DungeonResult | null;
}

/**
 * One game with random actions as a state machine, recording the assertions that guide exploration:
 * each step draws a fresh action and a repeat coin (two draws, whatever the outcome), acts, then on
 * the key tile passes the 3% key gate. Finding the treasure on the last floor is the "bug".
 */
export function dungeonMachine(maxSteps: number = MAX_STEPS): StateMachine<DungeonState, RandomSource> {
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be a positive integer, got ${maxSteps}`);
  return {
    init: (random) => ({ game: DungeonGame.start(random), last: -1, steps: 0, result: null }),
    step: (state, random) => {
      state.result = playStep(state, random);
      if (state.result === null && state.steps >= maxSteps) state.result = 'OutOfSteps';
      return state.result === null;
    },
    snapshot: ({ game, last, steps, result }): DungeonSnapshot => ({ game: game.save(), last, steps, result }),
    restore: (snapshot) => {
      const { game, last, steps, result } = snapshot as DungeonSnapshot;
      return { game: DungeonGame.restore(game), last, steps, result };
    },
  };
}

/** Plays one game (see `dungeonMachine`). */
export function runDungeon(random: RandomSource, maxSteps: number = MAX_STEPS): DungeonOutcome {
  const { state } = runStateMachine(dungeonMachine(maxSteps), random);
  const { game } = state;
  return { result: state.result ?? 'OutOfSteps', steps: state.steps, level: game.level, hp: game.hp };
}

/** One step of play; returns how the game ended, or null when it goes on. */
function playStep(state: DungeonState, random: RandomSource): DungeonResult | null {
  const { game } = state;
  const floor = game.floor;
  state.steps++;
  const fresh = Math.floor(random.random() * ACTION_COUNT);
  const repeat = random.random() < REPEAT_PROBABILITY;
  const action = repeat && state.last >= 0 ? state.last : fresh;
  state.last = action;
  const level = game.level;
  const hadKey = game.hasKey;
  const events = game.act(action, random);

  if ((events & Event.Won) !== 0) {
    assertSometimes(true, 'treasure found');
    return 'TreasureFound';
  }
  const health = healthBucket(game.hp);
  if ((events & Event.Descended) !== 0) {
    assertSometimesEach('descended', { floor: game.level }, { health });
  }
  if ((events & Event.MissingKey) !== 0) assertSometimes(true, 'stairs without key');
  if ((events & Event.Healed) !== 0) assertSometimes(true, 'picked up potion');
  if ((events & Event.Hit) !== 0 && game.alive) assertSometimes(true, 'survived monster hit');
  if ((events & Event.EnteredRoom) !== 0) {
    const quality = { hasKey: hadKey ? 1 : 0, health };
    assertSometimesEach('room explored', { floor: level, room: game.room }, quality);
    if (game.room === floor.roomCount - 1) {
      assertSometimesEach('goal room', { floor: level }, quality);
    }
  }

  if (game.alive) {
    if (game.onKeyTile() && !game.hasKey) {
      assertSometimesEach('on key tile', { floor: game.level }, { health });
      if (random.random() < KEY_FIND_PROBABILITY) {
        game.hasKey = true;
        assertSometimes(true, KEY_FOUND[game.level] ?? `key found L${game.level}`);
      }
    }
    const tile = game.tile();
    if (tile === STAIRS && game.hasKey) {
      assertSometimesEach('stairs with key', { floor: game.level }, { health });
    }
    if (game.level === TARGET_FLOOR && isNear(game.player, floor.goal)) {
      assertSometimes(true, 'near treasure');
    }
  }

  assertSometimesGreaterThan(game.level, 0, 'dungeon level reached');
  assertSometimesGreaterThan(game.hp, 0, 'health remaining');
  return game.alive ? null : 'Died';
}

/** Within one step (Chebyshev distance ≤ 1) of `target`. */
function isNear(cell: number, target: number): boolean {
  const dx = Math.abs((cell % WIDTH) - (target % WIDTH));
  const dy = Math.abs(Math.floor(cell / WIDTH) - Math.floor(target / WIDTH));
  return dx <= 1 && dy <= 1;
}
