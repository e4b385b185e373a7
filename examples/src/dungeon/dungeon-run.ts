import { assertSometimes, assertSometimesEach, assertSometimesGreaterThan } from 'moonpool';
import { type RandomSource, STAIRS, TARGET_FLOOR, WIDTH } from './dungeon-floor.js';
import { ACTION_COUNT, DungeonGame, Event } from './dungeon-game.js';

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

/**
 * Plays one game with random actions, recording the assertions that guide exploration:
 * each step draws a fresh action and a repeat coin (two draws, whatever the outcome), acts, then on
 * the key tile passes the 3% key gate. Finding the treasure on the last floor is the "bug".
 */
export function runDungeon(random: RandomSource, maxSteps: number = MAX_STEPS): DungeonOutcome {
  const game = new DungeonGame(random);
  const floor = game.floor;
  let last = -1;
  for (let step = 1; step <= maxSteps; step++) {
    const fresh = Math.floor(random.random() * ACTION_COUNT);
    const repeat = random.random() < REPEAT_PROBABILITY;
    const action = repeat && last >= 0 ? last : fresh;
    last = action;
    const level = game.level;
    const hadKey = game.hasKey;
    const events = game.act(action);

    if ((events & Event.Won) !== 0) {
      assertSometimes(true, 'treasure found');
      return { result: 'TreasureFound', steps: step, level, hp: game.hp };
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
    if (!game.alive) return { result: 'Died', steps: step, level: game.level, hp: game.hp };
  }
  return { result: 'OutOfSteps', steps: maxSteps, level: game.level, hp: game.hp };
}

/** Within one step (Chebyshev distance ≤ 1) of `target`. */
function isNear(cell: number, target: number): boolean {
  const dx = Math.abs((cell % WIDTH) - (target % WIDTH));
  const dy = Math.abs(Math.floor(cell / WIDTH) - Math.floor(target / WIDTH));
  return dx <= 1 && dy <= 1;
}
