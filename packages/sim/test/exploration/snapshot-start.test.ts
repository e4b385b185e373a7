// Exploration of a state-machine simulation: children start from a snapshot of their parent and are
// bit-identical to their replay from time zero (checkDeterminism replays each one and compares).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAlways, assertSometimesEach } from '@moonpool/core';
import type { ExplorationConfig } from '@moonpool/explorer';
import {
  type MachineRandom,
  runStateMachine,
  SimulationBuilder,
  type SimulationReport,
  type StateMachine,
} from '../../src/index.js';

const LOCKS = 3;
const GATES = 4;

interface Locks {
  open: number;
  steps: number;
  log: number[];
}

/** Nested gates as a state machine: each step draws, then walks the gates of the next closed lock. */
function locks(options: { forgetLog?: boolean } = {}): StateMachine<Locks, MachineRandom> {
  return {
    init: () => ({ open: 0, steps: 0, log: [] }),
    step(state, random) {
      state.steps++;
      state.log.push(Math.floor(random.random() * 10));
      for (let depth = 0; depth < GATES; depth++) {
        assertSometimesEach('gate', { lock: state.open, depth });
        if (random.random() >= 0.15) break;
        if (depth === GATES - 1) state.open++;
      }
      return state.steps < 40 && state.open < LOCKS;
    },
    // A broken snapshot: it leaves out part of the state.
    ...(options.forgetLog === true
      ? {
          snapshot: (s: Locks) => ({ open: s.open, steps: s.steps }),
          restore: (s: unknown) => ({ ...(s as Locks), log: [] }),
        }
      : {}),
  };
}

/** Runs the machine, then draws outside it (a split after its last step is resumed at its end). */
function simulation(
  machine: StateMachine<Locks, MachineRandom>,
  random: (ctx: { random: MachineRandom }) => MachineRandom,
) {
  return new SimulationBuilder().workload({
    name: 'locks',
    async run(ctx) {
      const { state } = runStateMachine(machine, random(ctx));
      // The log's sum decides the wait: a restore that loses the log changes the trace.
      const waited = state.log.reduce((a, b) => a + b, 0) + Math.floor(ctx.random.random() * 3);
      assertAlways(state.open < LOCKS, 'all locks open');
      await ctx.time.sleep(waited);
    },
  });
}

const CONFIG: ExplorationConfig = {
  maxDepth: 30,
  timelinesPerSplit: 4,
  globalEnergy: 800,
  adaptive: { batchSize: 10, minTimelines: 20, maxTimelines: 40, perMarkEnergy: 30 },
};

/** What must not depend on how children start (the draws executed do, by design). */
function multiverse(report: SimulationReport): unknown {
  const { draws: _d, snapshotStarts: _s, ...exploration } = report.exploration ?? ({} as never);
  return { exploration, assertions: report.assertions, runs: report.runs.map(({ wallMs: _w, ...r }) => r) };
}

describe('snapshot-started children', () => {
  it('explore the same multiverse as replay, each child bit-identical to its replay, with fewer draws', async () => {
    const started = await simulation(locks(), (ctx) => ctx.random)
      .enableExploration(CONFIG)
      .setIterations(2)
      .checkDeterminism()
      .run();
    // Not the simulation's own provider: the runner cannot vouch for the draws, so children replay.
    const replayed = await simulation(locks(), (ctx) => ({ random: () => ctx.random.random() }))
      .enableExploration(CONFIG)
      .setIterations(2)
      .run();
    const s = started.exploration;
    const r = replayed.exploration;
    assert.ok(s && r);
    assert.ok(s.totalTimelines > 100, `${s.totalTimelines} timelines`);
    assert.equal(s.snapshotStarts, s.totalTimelines);
    assert.equal(r.snapshotStarts, undefined);
    assert.ok(s.bugsFound > 0);
    assert.deepEqual(multiverse(started), multiverse(replayed));
    assert.ok(s.draws < r.draws, `${s.draws} draws from snapshots, ${r.draws} by replay`);
    assert.equal(started.failedRuns, 0, 'the determinism check found no difference');
  });

  it('replays a bug recipe found from snapshots from time zero with the same trace hash', async () => {
    const report = await simulation(locks(), (ctx) => ctx.random).enableExploration(CONFIG).setIterations(1).run();
    const bug = report.exploration?.bugRecipes[0];
    assert.ok(bug?.traceHash !== undefined, 'a bug was found');
    const replay = await simulation(locks(), (ctx) => ctx.random).replayRecipe(bug).run();
    assert.equal(replay.runs[0]?.traceHash, bug.traceHash);
    assert.equal(replay.failedRuns, 1);
  });

  it('splits before the machine replay, long steps and splits after it still start from snapshots', async () => {
    /** Every 7th step draws 120 times (longer than the snapshot window) with a discovery near its end. */
    const bursty: StateMachine<{ steps: number; total: number }, MachineRandom> = {
      init: () => ({ steps: 0, total: 0 }),
      step(state, random) {
        state.steps++;
        const draws = state.steps % 7 === 0 ? 120 : 2;
        for (let i = 0; i < draws; i++) {
          state.total += random.random() < 0.5 ? 1 : 0;
          // A split 100 draws into a step: the boundary before it is outside the first pass's window.
          if (i === 100) assertSometimesEach('burst', { bucket: state.total % 8 });
        }
        assertSometimesEach('total', { bucket: Math.floor(state.total / 16) });
        return state.steps < 60;
      },
    };
    const build = (random: (ctx: { random: MachineRandom }) => MachineRandom) =>
      new SimulationBuilder()
        .workload({
          name: 'bursty',
          async run(ctx) {
            // Discoveries before the machine: their children cannot start from a snapshot.
            for (let i = 0; i < 3; i++) assertSometimesEach('before', { value: Math.floor(ctx.random.random() * 4) });
            const { state } = runStateMachine(bursty, random(ctx));
            assertSometimesEach('after', { value: Math.floor(ctx.random.random() * 4) + state.total });
            await ctx.time.sleep(state.total);
          },
        })
        .enableExploration({ ...CONFIG, globalEnergy: 400 })
        .setIterations(1);
    const started = await build((ctx) => ctx.random).checkDeterminism().run();
    const replayed = await build((ctx) => ({ random: () => ctx.random.random() })).run();
    const s = started.exploration;
    assert.ok(s);
    assert.ok((s.snapshotStarts ?? 0) > 0 && (s.snapshotStarts ?? 0) < s.totalTimelines, `${s.snapshotStarts} of ${s.totalTimelines}`);
    assert.deepEqual(multiverse(started), multiverse(replayed));
    assert.equal(started.failedRuns, 0);
  });

  it('the determinism check names a snapshot that leaves out part of the state', async () => {
    await assert.rejects(
      simulation(locks({ forgetLog: true }), (ctx) => ctx.random)
        .enableExploration(CONFIG)
        .setIterations(1)
        .checkDeterminism()
        .run(),
      /started from a snapshot differs from its replay from time zero \(.*traceHash.*\): recipe \d+:/,
    );
  });
});
