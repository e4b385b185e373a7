// The page's verdict of a simulation, read from its JSON form, is the command's own (outcomeSucceeded).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlReportInput } from '../../src/cli/report-file.js';
import { emptyReport, type Outcome, outcomeSucceeded } from '../../src/cli/run.js';
import { simulationPassed } from '../../src/html-report/verdict.js';
import type { IterationRun, SimulationReport } from '../../src/index.js';

const ok: IterationRun = { seed: 1n, ok: true, traceHash: '0'.repeat(16), events: 1, simTimeMs: 1, wallMs: 1, alwaysViolations: [] };
const failed: IterationRun = { ...ok, seed: 2n, ok: false, error: 'x', failure: { kind: 'deadlock', atMs: 1, waitingTasks: [] } };
const diverged: IterationRun = {
  ...failed,
  failure: { kind: 'nondeterminism' } as unknown as IterationRun['failure'],
};

function report(runs: IterationRun[], extra: Partial<SimulationReport> = {}): SimulationReport {
  const failing = runs.filter((r) => !r.ok);
  return {
    ...emptyReport('v', 1),
    iterations: runs.length,
    successfulRuns: runs.length - failing.length,
    failedRuns: failing.length,
    seedsUsed: runs.map((r) => r.seed),
    seedsFailing: failing.map((r) => r.seed),
    runs,
    ...extra,
  };
}

const exploration = (bugsFound: number): SimulationReport['exploration'] => ({
  totalTimelines: 10, forkPoints: 1, bugsFound, bugRecipes: [], energyRemaining: 0, reallocPoolRemaining: 0,
  coverageBits: 1, coverageTotal: 8192, converged: true, perSeedTimelines: [10], draws: 1, ownDraws: 1, threads: 1,
});

describe('the HTML report verdict', () => {
  const reports: [string, SimulationReport][] = [
    ['all passed', report([ok])],
    ['a failing seed', report([ok, failed])],
    ['an always-violation only', report([ok], { alwaysViolations: ['a'] })],
    ['a bug found by exploration', report([ok], { exploration: exploration(2) })],
    ['an exploration without bugs', report([ok], { exploration: exploration(0) })],
    ['a coverage violation only', report([ok], { coverageViolations: ['c'] })],
    ['nondeterminism', report([ok, diverged])],
    ['no iterations', report([])],
  ];
  for (const [name, r] of reports) {
    for (const expectFailure of [false, true]) {
      for (const error of [undefined, 'threw']) {
        it(`${name}, expectFailure ${expectFailure}, ${error === undefined ? 'no error' : 'an error'}`, () => {
          const outcome: Outcome = { name: 'v', report: r, expectFailure, ...(error === undefined ? {} : { error }) };
          const [json] = htmlReportInput([outcome], undefined).simulations;
          assert.ok(json);
          assert.equal(simulationPassed(json), outcomeSucceeded(outcome));
        });
      }
    }
  }
});
