// Attrition reboots processes during the chaos phase only, and only when it is configured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IterationRun } from '../../src/report/simulation-report.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { FaultEvent } from '../../src/chaos/fault-events.js';
import {
  type Observation,
  observer,
  parseReboots,
  quiet,
  runAttrition,
  stubborn,
} from '../support/attrition.js';

const isProcessFault = (e: FaultEvent): boolean =>
  e.type === 'ProcessGracefulShutdown' || e.type === 'ProcessForceKill' || e.type === 'ProcessRestart';

describe('attrition: only during the chaos phase', () => {
  it('no reboot starts after chaosDuration; reboots under way still complete', async () => {
    const { observations } = await runAttrition(
      { maxDead: 2, probGraceful: 1, probCrash: 1, probWipe: 1 },
      { n: 5, chaosMs: 20_000, runMs: 50_000, seeds: [17, 18] },
    );
    for (const obs of observations) {
      const reboots = parseReboots(obs.faults);
      assert.ok(reboots.length >= 2, `${reboots.length} reboots`);
      assert.ok(reboots.every((r) => r.startMs <= 20_000), `starts: ${reboots.map((r) => r.startMs).join(',')}`);
      assert.ok(reboots.every((r) => r.restartMs !== undefined), 'every reboot completed');
      assert.ok(obs.aliveAtEnd.every(Boolean));
    }
  });

  it('chaos ends early when the workloads finish: no reboot afterwards, the iteration does not wait', async () => {
    const { observations, runs } = await runAttrition(
      { maxDead: 2, probGraceful: 0, probCrash: 1, probWipe: 0, recoveryDelayMs: [100, 200] },
      { n: 3, chaosMs: 1_000_000, runMs: 15_000, seeds: [19] },
    );
    const reboots = parseReboots(observations[0]?.faults ?? []);
    assert.ok(reboots.length >= 2);
    assert.ok(reboots.every((r) => r.startMs <= 15_000));
    assert.ok((runs[0] as IterationRun).simTimeMs < 20_000, `${(runs[0] as IterationRun).simTimeMs} ms`);
  });

  it('processes are never rebooted without the attrition (chaosDuration alone injects nothing)', async () => {
    const observations: Observation[] = [];
    const report = await quiet(new SimulationBuilder())
      .processes(3, stubborn)
      .chaosDuration(30_000)
      .workload(observer(30_000, observations))
      .setDebugSeeds([20])
      .run();
    assert.equal(report.failedRuns, 0);
    assert.ok(observations[0]?.faults.every((f) => !isProcessFault(f.event)));
  });
});
