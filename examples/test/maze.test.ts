import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSucceeded, SimulationBuilder } from 'moonpool';
import { GATES_PER_LOCK, LOCK_COUNT, runMaze } from '../src/maze/maze.js';
import { maze } from '../src/maze/maze.sim.js';
import { MazeWorkload } from '../src/maze/maze-workload.js';

/** A random source that always returns `value` and counts its draws. */
function rigged(value: number): { random(): number; draws: number } {
  return {
    draws: 0,
    random() {
      this.draws++;
      return value;
    },
  };
}

describe('maze', () => {
  it('passes without exploration and records gate buckets', async () => {
    const report = await maze.build().setIterations(50).run();
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
    assert.deepEqual(report.alwaysViolations, []);
    const always = report.assertions.find((a) => a.msg === 'maze bug: all 4 locks opened');
    assert.equal(always?.passCount, 50);
    assert.equal(always?.failCount, 0);
    const gate = report.assertions.find((a) => a.msg === 'gate');
    assert.equal(gate?.kind, 'EachBucket');
    const keys = new Set(gate?.buckets?.map((b) => b.key));
    // Locks 0 and 2 have no prerequisites: their first gate is reached on every step.
    assert.ok(keys.has('{"depth":1,"lock":0,"locks":0}'), [...keys].join(' '));
    assert.ok(keys.has('{"depth":1,"lock":2,"locks":0}'), [...keys].join(' '));
    assert.ok(keys.size >= 4, `only ${keys.size} gate buckets`);
  });

  it('opens every lock in one step when every draw passes', () => {
    const random = rigged(0);
    const outcome = runMaze(random);
    assert.equal(outcome.result, 'BugFound');
    assert.equal(outcome.steps, 1);
    assert.equal(outcome.openLocks, 0b1111);
    // The step's own draw, then every gate of every lock (locks 1 and 3 become eligible in-step).
    assert.equal(random.draws, 1 + LOCK_COUNT * GATES_PER_LOCK);
  });

  it('never works on a lock before its prerequisites are open', () => {
    const random = rigged(0.5);
    const outcome = runMaze(random, 100);
    assert.equal(outcome.result, 'Exhausted');
    assert.equal(outcome.openLocks, 0);
    // Per step: its own draw and the first gate of locks 0 and 2 only.
    assert.equal(random.draws, 100 * 3);
  });

  it('reports the bug through the always-assertion when the maze is rigged', async () => {
    const report = await new SimulationBuilder()
      .workload(new MazeWorkload({ random: () => rigged(0) }))
      .setIterations(1)
      .run();
    assert.equal(report.failedRuns, 1);
    assert.deepEqual(report.alwaysViolations.length, 1);
    assert.match(report.alwaysViolations[0] ?? '', /maze bug: all 4 locks opened/);
    const allOpen = report.assertions.find((a) => a.msg === 'all locks open');
    assert.equal(allOpen?.passCount, 1);
    const opens = report.assertions.find((a) => a.msg === 'lock opens');
    assert.equal(opens?.buckets?.length, LOCK_COUNT);
  });
});
