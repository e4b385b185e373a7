// Parallel exploration: worker threads rebuild the simulation from `setWorkerModule` and must explore
// exactly the multiverse the main thread alone explores. Also the command's live progress line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli, type Terminal } from '../src/cli/cli.js';
import { formatStatus, ProgressLine } from '../src/cli/progress.js';
import {
  type ExplorationConfig,
  type ExplorationStatus,
  Parallelism,
  type SimulationBuilder,
  type SimulationReport,
} from '../src/index.js';

const EXPLORE_DIR = fileURLToPath(new URL('../../test/fixtures/.explore', import.meta.url));
const FIXTURE = new URL('../../test/fixtures/.explore/gates-builder.mjs', import.meta.url);

interface GatesModule {
  gatesBuilder(): SimulationBuilder;
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

  it('setWorkerModule takes only a URL', () => {
    for (const bad of ['not a url', './gates-builder.mjs', '']) {
      assert.throws(() => gates.gatesBuilder().setWorkerModule(bad, 'gatesBuilder'), RangeError, bad);
    }
    assert.doesNotThrow(() => gates.gatesBuilder().setWorkerModule(FIXTURE.href));
  });
});

/** A terminal recording every write of both streams in order. */
function capture(stderrIsTTY: boolean): { term: Terminal; writes: ['out' | 'err', string][] } {
  const writes: ['out' | 'err', string][] = [];
  return {
    writes,
    term: {
      out: (text) => writes.push(['out', text]),
      err: (text) => writes.push(['err', text]),
      color: false,
      stderrIsTTY,
    },
  };
}

const ERASE = '\r\u001b[2K';
const PROGRESS = /explore-gates: seed 1\/1 \| .* timelines .* energy left .* bugs \d+ \| coverage \d+ bits/;

describe('moonpool sim run: live exploration progress', () => {
  it('on a terminal, draws a progress line on stderr and erases it before the report', async () => {
    const { term, writes } = capture(true);
    const code = await runCli(['sim', 'run', 'explore-gates', '--dir', EXPLORE_DIR], term);
    assert.equal(code, 1, 'the exploration finds the bug');
    const err = writes.filter(([stream]) => stream === 'err').map(([, text]) => text);
    const lines = err.filter((text) => PROGRESS.test(text));
    assert.ok(lines.length >= 1, `no progress line in ${JSON.stringify(err)}`);
    // Each redraw starts by erasing the line it replaces, and never ends a line.
    for (const line of lines) {
      assert.ok(line.startsWith(ERASE), JSON.stringify(line));
      assert.ok(!line.includes('\n'), JSON.stringify(line));
    }
    const stderr = err.join('');
    assert.ok(stderr.endsWith(ERASE), `stderr ends with the erase: ${JSON.stringify(stderr.slice(-40))}`);
    // The erase comes after the last progress line and before the report.
    const lastErase = writes.findLastIndex(([stream, text]) => stream === 'err' && text === ERASE);
    const lastProgress = writes.findLastIndex(([stream, text]) => stream === 'err' && PROGRESS.test(text));
    const firstOut = writes.findIndex(([stream]) => stream === 'out');
    assert.ok(lastProgress < lastErase && lastErase < firstOut, JSON.stringify({ lastProgress, lastErase, firstOut }));
    const stdout = writes.filter(([stream]) => stream === 'out').map(([, text]) => text).join('');
    assert.match(stdout, /--- Exploration ---/);
    assert.ok(!stdout.includes('\u001b'), 'no escape codes on stdout');
  });

  for (const [what, args, tty] of [
    ['--json on a terminal', ['--json'], true],
    ['stderr not a terminal', [], false],
  ] as const) {
    it(`prints no progress with ${what}`, async () => {
      const { term, writes } = capture(tty);
      const code = await runCli(['sim', 'run', 'explore-gates', ...args, '--dir', EXPLORE_DIR], term);
      assert.equal(code, 1);
      const stderr = writes.filter(([stream]) => stream === 'err').map(([, text]) => text).join('');
      assert.ok(!stderr.includes('\u001b'), JSON.stringify(stderr));
      assert.ok(!/timelines|energy left|coverage/.test(stderr), JSON.stringify(stderr));
      if (!tty) assert.equal(stderr, '');
      const stdout = writes.filter(([stream]) => stream === 'out').map(([, text]) => text).join('');
      assert.ok(!stdout.includes('\u001b'));
      assert.ok(!PROGRESS.test(stdout));
    });
  }
});

describe('formatStatus and ProgressLine', () => {
  const status = (over: Partial<ExplorationStatus> = {}): ExplorationStatus => ({
    seedsStarted: 1,
    seedsTotal: 2,
    timelines: 1240,
    energyRemaining: 18_760,
    bugs: 3,
    coverageBits: 41,
    elapsedMs: 500,
    ...over,
  });

  it('formats a status line, with thousands separators and a rate', () => {
    assert.equal(
      formatStatus('maze-explore', status()),
      'maze-explore: seed 1/2 | 1,240 timelines (2,480/s) | energy left 18,760 | bugs 3 | coverage 41 bits',
    );
    assert.equal(
      formatStatus('x', status({ elapsedMs: 0, timelines: 0 })),
      'x: seed 1/2 | 0 timelines (0/s) | energy left 18,760 | bugs 3 | coverage 41 bits',
    );
  });

  it('without a known number of seeds (a time limit) shows the seed without a total', () => {
    const line = formatStatus('sim', status({ seedsStarted: 3, seedsTotal: null }));
    assert.match(line, /^sim: seed 3 \| /);
    assert.ok(!line.includes('/2') && !/seed 3\//.test(line), line);
  });

  it('redraws at most every 100 ms and erases only what it drew', () => {
    const writes: string[] = [];
    const line = new ProgressLine((text) => writes.push(text), 'p');
    line.clear();
    assert.equal(writes.length, 0, 'nothing drawn, nothing to erase');
    line.update(status({ elapsedMs: 10 }));
    line.update(status({ elapsedMs: 60, bugs: 4 }));
    line.update(status({ elapsedMs: 110, bugs: 5 }));
    assert.equal(writes.length, 2);
    assert.equal(writes[0], `${ERASE}${formatStatus('p', status({ elapsedMs: 10 }))}`);
    assert.match(writes[1] as string, /bugs 5/);
    line.clear();
    line.clear();
    assert.deepEqual(writes.slice(2), [ERASE]);
  });
});
