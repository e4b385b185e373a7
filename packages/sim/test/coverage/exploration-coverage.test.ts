// Code coverage as a discovery signal, end to end: worker threads collect V8 block coverage of the
// system under test per batch; a batch that ran new blocks is productive, so a mark that assertions
// alone would retire as barren keeps exploring.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Parallelism } from '@moonpool/explorer';
import { codeCoverageBlockCount, codeCoverageBlocksCovered } from '../../src/coverage/code-coverage.js';
import { codeCoverageSupported } from '../../src/coverage/coverage-collector.js';
import type { SimulationReport } from '../../src/index.js';
import { branchyBuilder, branchyConfig, SUT_MODULE } from './fixtures/branchy.sim.js';

const WORKER_MODULE = new URL('./fixtures/branchy.sim.js', import.meta.url);

interface RunOptions {
  coverage: boolean;
  threads?: number;
  workerModule?: boolean;
}

function run(options: RunOptions): Promise<SimulationReport> {
  const b = branchyBuilder()
    .enableExploration({
      ...branchyConfig,
      ...(options.coverage ? { codeCoverage: { modules: [SUT_MODULE] } } : {}),
      ...(options.threads === undefined ? {} : { parallelism: Parallelism.Cores(options.threads) }),
    })
    .setDebugSeeds([11, 12]);
  return (options.workerModule === false ? b : b.setWorkerModule(WORKER_MODULE, 'branchyBuilder')).run();
}

function exploration(report: SimulationReport): NonNullable<SimulationReport['exploration']> {
  assert.ok(report.exploration);
  return report.exploration;
}

/** What must not depend on the number of threads. */
function comparable(report: SimulationReport): unknown {
  const { threads: _threads, ...e } = exploration(report);
  return { e, assertions: report.assertions, roots: report.runs.map((r) => r.traceHash) };
}

describe('code coverage as a discovery signal', { skip: !codeCoverageSupported() && 'no inspector in this Node' }, () => {
  it('keeps a mark exploring while its children run new blocks (assertions alone retire it after a batch)', async () => {
    const plain = exploration(await run({ coverage: false }));
    const covered = exploration(await run({ coverage: true }));
    assert.deepEqual(plain.perSeedTimelines, [10, 10], 'barren after its first batch');
    assert.ok(
      (covered.perSeedTimelines[0] as number) > 10,
      `code coverage keeps the first seed's mark alive (${covered.perSeedTimelines.join(', ')})`,
    );
    assert.equal(plain.codeCoverage, undefined);
    const code = covered.codeCoverage;
    assert.ok(code);
    assert.ok(code.blocksCovered > 1 && code.blocksCovered <= code.blocks, JSON.stringify(code));
    assert.equal(code.functions, 2, 'handle and kindOf ran');
    assert.equal(codeCoverageBlockCount(), code.blocks);
    assert.equal(codeCoverageBlocksCovered(), code.blocksCovered);
  });

  it('explores the same multiverse on one worker thread and on two', async () => {
    const one = await run({ coverage: true, threads: 1 });
    const two = await run({ coverage: true, threads: 2 });
    assert.equal(exploration(one).threads, 1, 'one worker, the main thread runs no child');
    assert.equal(exploration(two).threads, 2);
    assert.deepEqual(comparable(two), comparable(one));
  });

  it('changes no execution: the root timelines have the trace hashes of a run without it', async () => {
    const plain = await run({ coverage: false });
    const covered = await run({ coverage: true });
    assert.deepEqual(
      covered.runs.map((r) => r.traceHash),
      plain.runs.map((r) => r.traceHash),
    );
  });

  it('without a worker module: a warning, and exploration on assertions alone', async () => {
    const report = await run({ coverage: true, workerModule: false });
    const plain = await run({ coverage: false, workerModule: false });
    assert.equal(exploration(report).codeCoverage, undefined);
    assert.deepEqual(exploration(report).perSeedTimelines, exploration(plain).perSeedTimelines);
    assert.ok(report.warnings.some((w) => w.includes('code coverage') && w.includes('setWorkerModule')), String(report.warnings));
  });
});
