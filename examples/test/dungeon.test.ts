import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimRng } from '@moonpool/sim/internal';
import { reportSucceeded } from 'moonpool';
import { dungeon } from '../src/dungeon/dungeon.sim.js';
import {
  DungeonFloor,
  HEIGHT,
  STAIRS,
  TARGET_FLOOR,
  TREASURE,
  WALL,
  WIDTH,
} from '../src/dungeon/dungeon-floor.js';
import { ACTION_DESCEND, ACTION_SEARCH, DungeonGame, Event } from '../src/dungeon/dungeon-game.js';
import { runDungeon } from '../src/dungeon/dungeon-run.js';

/** Cells reachable from `from` with king moves over non-wall cells. */
function reachable(floor: DungeonFloor, from: number): Uint8Array {
  const seen = new Uint8Array(WIDTH * HEIGHT);
  const queue = [from];
  seen[from] = 1;
  while (queue.length > 0) {
    const cell = queue.pop() as number;
    const x = cell % WIDTH;
    const y = Math.floor(cell / WIDTH);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= WIDTH || ny >= HEIGHT) continue;
        const next = ny * WIDTH + nx;
        if (seen[next] === 0 && floor.tiles[next] !== WALL) {
          seen[next] = 1;
          queue.push(next);
        }
      }
    }
  }
  return seen;
}

describe('dungeon', () => {
  it('runs deterministically: same seeds, same trace hashes', async () => {
    const seeds = [1, 2, 3, 4, 5];
    const first = await dungeon.build().setDebugSeeds(seeds).run();
    const second = await dungeon.build().setDebugSeeds(seeds).run();
    const hashes = first.runs.map((r) => r.traceHash);
    assert.deepEqual(
      second.runs.map((r) => r.traceHash),
      hashes,
    );
    assert.deepEqual(
      second.runs.map((r) => r.simTimeMs),
      first.runs.map((r) => r.simTimeMs),
    );
    // The hash covers the game: different seeds play different games.
    assert.ok(new Set(hashes).size > 1, `all hashes equal: ${hashes[0]}`);
  });

  it('passes without exploration and records its assertions', async () => {
    const report = await dungeon.build().setIterations(10).run();
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
    const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
    assert.equal(byMsg.get('dungeon bug: treasure found on floor 8')?.passCount, 10);
    assert.equal(byMsg.get('dungeon level reached')?.kind, 'NumericSometimes');
    assert.equal(byMsg.get('dungeon level reached')?.watermark, 1);
    assert.ok((byMsg.get('health remaining')?.passCount ?? 0) > 0);
    assert.ok((byMsg.get('room explored')?.buckets?.length ?? 0) > 0);
  });

  it('plays the same game from the same generator state', () => {
    const a = runDungeon(new SimRng(7));
    const b = runDungeon(new SimRng(7));
    assert.deepEqual(a, b);
    assert.ok(a.steps > 0 && a.steps <= 10_000);
  });

  it('generates floors where the start reaches the goal and the key', () => {
    const floor = new DungeonFloor();
    const rng = new SimRng(11);
    for (let i = 0; i < 200; i++) {
      const level = 1 + (i % TARGET_FLOOR);
      floor.generate(rng, level);
      assert.ok(floor.roomCount >= 4 && floor.roomCount <= 6);
      assert.ok(floor.enemyCount >= 1 && floor.enemyCount <= 5);
      const seen = reachable(floor, floor.start);
      assert.equal(seen[floor.goal], 1, `goal unreachable on floor ${level}`);
      if (level < TARGET_FLOOR) assert.equal(seen[floor.keyCell], 1, 'key unreachable');
      else assert.equal(floor.keyCell, -1);
    }
  });

  it('needs the key to descend and finds the treasure on the last floor', () => {
    const rng = new SimRng(3);
    const game = DungeonGame.start(rng);
    for (let level = 1; level < TARGET_FLOOR; level++) {
      assert.equal(game.level, level);
      game.player = game.floor.goal;
      assert.equal(game.tile(), STAIRS);
      assert.equal(game.act(ACTION_DESCEND, rng) & Event.MissingKey, Event.MissingKey);
      assert.ok(game.alive, 'killed while waiting on the stairs');
      game.hasKey = true;
      assert.equal(game.act(ACTION_DESCEND, rng), Event.Descended);
      assert.equal(game.hasKey, false);
    }
    assert.equal(game.level, TARGET_FLOOR);
    assert.equal(game.floor.keyCell, -1);
    game.player = game.floor.goal;
    assert.equal(game.tile(), TREASURE);
    assert.equal(game.act(ACTION_SEARCH, rng), Event.Won);
  });
});
