// Parallel exploration: worker threads rebuild the simulation from `setWorkerModule` and must explore
// exactly the multiverse the main thread alone explores.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  type ExplorationConfig,
  Parallelism,
  reportSucceeded,
  type SimulationBuilder,
  type SimulationReport,
} from '../src/index.js';

const FIXTURE = new URL('../../test/fixtures/.explore/gates-builder.mjs', import.meta.url);

interface GatesModule {
  gatesBuilder(): SimulationBuilder;
  throwingGatesBuilder(): SimulationBuilder;
  gatesConfig: ExplorationConfig;
}

const gates = (await import(FIXTURE.href)) as GatesModule;

/** The fixture's simulation with `workers` children at once; its module set only when `exportName` is. */
function builder(workers: number, exportName: string | null, iterations = 2): SimulationBuilder {
  const b = gates
    .gatesBuilder()
    .enableExploration({ ...gates.gatesConfig, parallelism: Parallelism.Cores(workers) })
    .setIterations(iterations);
  return exportName === null ? b : b.setWorkerModule(FIXTURE, exportName);
}

function exploration(report: SimulationReport): NonNullable<SimulationReport['exploration']> {
  assert.ok(report.exploration, 'the report has an exploration section');
  return report.exploration;
}

/** Everything of a report that must not depend on how many threads explored. */
function comparable(report: SimulationReport): unknown {
  const { threads: _threads, ...e } = exploration(report);
  return {
    exploration: e,
    assertions: report.assertions,
    rootTraceHashes: report.runs.map((r) => r.traceHash),
    runs: report.runs.map(({ wallMs: _wallMs, ...run }) => run),
    seedsUsed: report.seedsUsed,
    alwaysViolations: report.alwaysViolations,
    coverageViolations: report.coverageViolations,
  };
}

/** Rejects when `promise` takes longer than `ms` (a worker that never answers must not hang the suite). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let sequential: Promise<SimulationReport> | null = null;
let parallel: Promise<SimulationReport> | null = null;
/** The fixture explored on the main thread (Cores(1)), computed once. */
const onOneThread = (): Promise<SimulationReport> => (sequential ??= builder(1, 'gatesBuilder').run());
/** The fixture explored on two worker threads, computed once. */
const onTwoWorkers = (): Promise<SimulationReport> => (parallel ??= builder(2, 'gatesBuilder').run());

describe('parallel exploration on worker threads', () => {
  it('two workers explore exactly the multiverse one thread does (two root seeds: warm start)', async () => {
    const one = await onOneThread();
    const two = await onTwoWorkers();
    assert.equal(exploration(one).threads, 1);
    assert.equal(exploration(two).threads, 2);
    assert.deepEqual(comparable(two), comparable(one));
    assert.deepEqual(two.warnings, []);
    assert.deepEqual(one.warnings, []);
    // The exploration is not trivial: both seeds branched, bugs were found, every kind of discovery merged.
    const e = exploration(one);
    assert.equal(e.perSeedTimelines.length, 2);
    assert.ok(e.perSeedTimelines.every((n) => n > 20), `timelines per seed ${e.perSeedTimelines.join(', ')}`);
    assert.ok(e.totalTimelines >= 200, `${e.totalTimelines} timelines`);
    assert.ok(e.bugsFound > 0, 'bugs found');
    assert.equal(e.bugRecipes.length, e.bugsFound);
    assert.ok(e.bugRecipes.every((b) => b.traceHash !== undefined));
    assert.ok(e.forkPoints > 5);
    const byMsg = new Map(one.assertions.map((a) => [a.msg, a]));
    assert.ok((byMsg.get('gate')?.buckets ?? []).some((b) => b.quality !== undefined), 'bucket qualities');
    assert.ok(typeof byMsg.get('gates passed')?.watermark === 'number', 'a watermark');
    assert.ok((byMsg.get('two locks open')?.passCount ?? 0) > 0, 'the trigger fired');
    // Every timeline (and root) checked the always-assertion once.
    const always = byMsg.get('all locks open');
    assert.equal(always?.failCount, e.bugsFound);
    assert.equal(two.iterations, 2);
  });

  it('explorations in a row on two threads (the worker kept from one to the next) explore what one thread does', async () => {
    const one = await onOneThread();
    await onTwoWorkers();
    // The same simulation again (its worker kept), another one (a fresh worker), then the first again.
    const again = await builder(2, 'gatesBuilder').run();
    await builder(2, 'gatesBuilderObject').run();
    const afterOther = await builder(2, 'gatesBuilder').run();
    for (const report of [again, afterOther]) {
      assert.equal(exploration(report).threads, 2);
      assert.deepEqual(comparable(report), comparable(one));
    }
  });

  it('a thrown error in a timeline gives the same failing verdict and bugs on one thread and two', async () => {
    const run = (workers: number): Promise<SimulationReport> =>
      gates
        .throwingGatesBuilder()
        .enableExploration({ ...gates.gatesConfig, parallelism: Parallelism.Cores(workers) })
        .setWorkerModule(FIXTURE, 'throwingGatesBuilder')
        .setIterations(2)
        .run();
    const [one, two] = [await run(1), await run(2)];
    assert.equal(exploration(two).threads, 2);
    assert.deepEqual(comparable(two), comparable(one));
    for (const report of [one, two]) {
      assert.equal(reportSucceeded(report), false, 'bugs found by exploration fail the run');
      assert.ok(exploration(report).bugsFound > 0);
      assert.ok(exploration(report).bugRecipes.every((b) => b.failure?.kind === 'workload-threw'));
    }
  });

  it('every export shape a worker accepts explores the same multiverse', async () => {
    const one = await onOneThread();
    for (const name of ['gatesBuilderObject', 'gatesDefinition']) {
      const report = await builder(2, name).run();
      assert.equal(exploration(report).threads, 2, name);
      assert.deepEqual(comparable(report), comparable(one), name);
    }
  });

  it('without a worker module, Cores(2) runs on the main thread with a warning, and explores the same', async () => {
    const one = await onOneThread();
    const report = await builder(2, null).run();
    assert.equal(exploration(report).threads, 1);
    assert.deepEqual(comparable(report), comparable(one));
    assert.equal(report.warnings.length, 1, report.warnings.join('\n'));
    assert.match(report.warnings[0] as string, /setWorkerModule/);
    assert.match(report.warnings[0] as string, /2 threads/);
  });

  it('each bug recipe found by two workers replays to a failing run with the same trace hash', async () => {
    const e = exploration(await onTwoWorkers());
    assert.ok(e.bugRecipes.length > 0);
    for (const bug of e.bugRecipes) {
      const replay = await gates.gatesBuilder().replayRecipe(bug).run();
      assert.equal(replay.iterations, 1);
      const run = replay.runs[0];
      assert.equal(run?.seed, bug.rootSeed);
      assert.equal(run?.ok, false);
      assert.deepEqual(run?.alwaysViolations, ['all locks open']);
      assert.equal(run?.traceHash, bug.traceHash);
    }
  });

  it('a worker module export that is not a simulation rejects run() with a clear error', async () => {
    for (const name of ['notASimulation', 'noSuchExport']) {
      await assert.rejects(within(builder(2, name, 1).run(), 20_000), (err: Error) => {
        assert.match(err.message, new RegExp(`export '${name}' of .*gates-builder\\.mjs is not a simulation`));
        return true;
      });
    }
  });

  it('a worker module that does not exist rejects run() (no hang)', async () => {
    const missing = new URL('./no-such-module.mjs', FIXTURE);
    const run = gates
      .gatesBuilder()
      .enableExploration({ ...gates.gatesConfig, parallelism: Parallelism.Cores(2) })
      .setWorkerModule(missing, 'gatesBuilder')
      .run();
    await assert.rejects(within(run, 20_000), (err: Error) => {
      assert.match(err.message, /exploration worker/);
      assert.match(err.message, /no-such-module\.mjs/);
      return true;
    });
  });

  it('a worker module that throws while importing reports its error with its stack', async () => {
    const throwing = new URL('./throws-at-import.mjs', FIXTURE);
    await assert.rejects(within(builder(2, null, 1).setWorkerModule(throwing, 'never').run(), 20_000), (err: Error) => {
      assert.match(err.message, /^exploration worker failed: cannot import the simulation module .*throws-at-import\.mjs:\n/);
      assert.match(err.message, /Error: boom while importing\n\s+at failWhileLoading \(.*throws-at-import\.mjs:4:\d+\)/);
      return true;
    });
  });

  it('a worker module with a syntax error is named in the error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moonpool-worker-'));
    try {
      const file = join(dir, 'syntax-error.mjs');
      await writeFile(file, 'export const broken = ;\n');
      const run = builder(2, null, 1).setWorkerModule(pathToFileURL(file), 'broken').run();
      await assert.rejects(within(run, 20_000), (err: Error) => {
        assert.match(err.message, /cannot import the simulation module .*syntax-error\.mjs:\nSyntaxError: /);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('setWorkerModule takes only a URL', () => {
    for (const bad of ['not a url', './gates-builder.mjs', '']) {
      assert.throws(() => gates.gatesBuilder().setWorkerModule(bad, 'gatesBuilder'), RangeError, bad);
    }
    assert.doesNotThrow(() => gates.gatesBuilder().setWorkerModule(FIXTURE.href));
  });
});

const SLOW_FIXTURE = new URL('../../test/fixtures/.explore/slow-batch.mjs', import.meta.url);
const slow = (await import(SLOW_FIXTURE.href)) as {
  slowBatchBuilder(): SimulationBuilder;
  slowBatchConfig: ExplorationConfig;
};

describe('an exploration interrupted in the middle of a batch', () => {
  for (const threads of [1, 2]) {
    it(`${threads} thread(s): stops at the next timeline, not at the end of the batch`, async () => {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const report = await within(
        slow
          .slowBatchBuilder()
          .enableExploration({ ...slow.slowBatchConfig, parallelism: Parallelism.Cores(threads) })
          .setWorkerModule(SLOW_FIXTURE, 'slowBatchBuilder')
          .setAbortSignal(controller.signal)
          // The first progress report follows the root timeline: the first batch is starting.
          .onExplorationProgress(() => {
            timer ??= setTimeout(() => controller.abort(), 200);
          })
          .run(),
        60_000,
      ).finally(() => clearTimeout(timer));
      assert.equal(report.interrupted, true);
      const e = exploration(report);
      assert.equal(e.threads, threads);
      assert.equal(e.converged, false);
      // The whole batch is 1 000 timelines: a stop only at its end would have run them all.
      assert.ok(e.totalTimelines > 0 && e.totalTimelines < 1000, `${e.totalTimelines} timelines`);
      assert.equal(report.iterations, 1);
    });
  }
});

