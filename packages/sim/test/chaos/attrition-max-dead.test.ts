// Attrition never has more than maxDead processes dead at once (checked by an invariant after every
// event), and reaches that limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IterationRun } from '../../src/report/simulation-report.js';
import type { Attrition } from '../../src/chaos/attrition.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Process } from '../../src/engine/context.js';
import type { ClusterControl } from '../../src/engine/cluster-control.js';
import {
  type Observation,
  observer,
  parseReboots,
  quiet,
  runAttrition,
  stubborn,
} from '../support/attrition.js';

describe('attrition: maxDead', () => {
  /** Runs attrition with an invariant counting dead processes after every event; returns the peak. */
  async function peakDead(
    a: Attrition,
    seeds: number[],
    process: () => Process,
  ): Promise<{ peak: number; runs: IterationRun[]; reboots: number }> {
    let control: ClusterControl | null = null;
    let peak = 0;
    let reboots = 0;
    const observations: Observation[] = [];
    const report = await quiet(new SimulationBuilder())
      .processes(5, process)
      .attrition(a)
      .chaosDuration(120_000)
      .invariantFn('at most maxDead dead', () => {
        if (control === null) return;
        const c: ClusterControl = control;
        const dead = c.processIps.filter((ip) => !c.isAlive(ip)).length;
        peak = Math.max(peak, dead);
        if (dead > a.maxDead) throw new Error(`${dead} processes dead, maxDead ${a.maxDead}`);
      })
      .workload({
        ...observer(120_000, observations),
        async setup(ctx) {
          control = ctx.cluster;
        },
      })
      .setDebugSeeds(seeds)
      .run();
    for (const o of observations) reboots += parseReboots(o.faults).length;
    return { peak, runs: report.runs, reboots };
  }

  for (const maxDead of [1, 2]) {
    it(`never more than ${maxDead} of 5 processes dead at any event, and the limit is reached (crashes)`, async () => {
      const { peak, runs, reboots } = await peakDead(
        { maxDead, probGraceful: 0, probCrash: 1, probWipe: 1, recoveryDelayMs: [6000, 10000] },
        [7, 8],
        stubborn,
      );
      for (const run of runs) assert.ok(run.ok, run.error);
      assert.equal(peak, maxDead);
      assert.ok(reboots >= 15, `${reboots} reboots`);
    });
  }

  it(
    'never more than maxDead dead when graceful reboots are mixed in (processes slow to shut down)',
    async () => {
      const { peak, runs } = await peakDead(
        {
          maxDead: 1,
          probGraceful: 1,
          probCrash: 1,
          probWipe: 0,
          gracePeriodMs: [4000, 5000],
          recoveryDelayMs: [6000, 10000],
        },
        [7, 8, 9],
        stubborn,
      );
      for (const run of runs) assert.ok(run.ok, run.error);
      assert.equal(peak, 1);
    },
  );

  it('maxDead 0: no process is ever rebooted', async () => {
    const { observations } = await runAttrition(
      { maxDead: 0, probGraceful: 1, probCrash: 1, probWipe: 1 },
      { n: 5, chaosMs: 60_000, runMs: 60_000, seeds: [10] },
    );
    const obs = observations[0] as Observation;
    assert.deepEqual(obs.faults, []);
    assert.equal(obs.life.filter((l) => l.event.what === 'boot').length, 5, 'each process booted once');
    assert.ok(obs.aliveAtEnd.every(Boolean));
  });
});
