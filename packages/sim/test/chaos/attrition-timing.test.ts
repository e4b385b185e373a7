// Attrition timing: grace periods, recovery delays and decision intervals, by default and as
// configured, read from the fault timeline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTRITION_INTERVAL_MS } from '../../src/chaos/attrition.js';
import { EPS, inRange, parseReboots, runAttrition } from '../support/attrition.js';

describe('attrition: grace period and recovery delay', () => {
  it('defaults: grace 2000..5000 ms, recovery 1000..10000 ms, decisions every 1..5 s', async () => {
    const { observations } = await runAttrition(
      { maxDead: 2, probGraceful: 1, probCrash: 1, probWipe: 0 },
      { n: 5, chaosMs: 400_000, runMs: 420_000, seeds: [1, 2] },
    );
    const graces: number[] = [];
    const recoveries: number[] = [];
    const starts: number[] = [];
    for (const obs of observations) {
      const reboots = parseReboots(obs.faults);
      for (const r of reboots) {
        starts.push(r.startMs);
        assert.ok(r.forcedMs !== undefined && r.restartMs !== undefined, `${r.ip}@${r.startMs} never restarted`);
        // Stubborn processes ignore the shutdown signal: every graceful reboot ends in a force-kill.
        if (r.kind === 'Graceful') graces.push(r.forcedMs - r.startMs);
        recoveries.push(r.restartMs - r.forcedMs);
      }
      assert.ok(obs.aliveAtEnd.every(Boolean), 'every process is back after the chaos phase');
    }
    assert.ok(graces.length >= 40, `${graces.length} graceful reboots`);
    assert.ok(recoveries.length >= 90, `${recoveries.length} reboots`);
    for (const g of graces) inRange(g, 2000, 5000, 'default grace period');
    for (const d of recoveries) inRange(d, 1000, 10000, 'default recovery delay');
    // The draws spread over the whole range, not a fixed value.
    assert.ok(Math.min(...graces) < 2300 && Math.max(...graces) > 4700, `graces ${Math.min(...graces)}..${Math.max(...graces)}`);
    assert.ok(
      Math.min(...recoveries) < 1500 && Math.max(...recoveries) > 9500,
      `recoveries ${Math.min(...recoveries)}..${Math.max(...recoveries)}`,
    );
    // No decision before the first interval has elapsed.
    assert.ok(Math.min(...starts) >= ATTRITION_INTERVAL_MS[0] - EPS);
  });

  it('custom recoveryDelayMs and gracePeriodMs ranges are respected', async () => {
    const { observations } = await runAttrition(
      { maxDead: 2, probGraceful: 1, probCrash: 1, probWipe: 0, recoveryDelayMs: [200, 300], gracePeriodMs: [50, 80] },
      { n: 3, chaosMs: 200_000, runMs: 201_000, seeds: [3] },
    );
    const reboots = parseReboots(observations[0]?.faults ?? []);
    const graces = reboots.filter((r) => r.kind === 'Graceful').map((r) => (r.forcedMs ?? NaN) - r.startMs);
    const recoveries = reboots.map((r) => (r.restartMs ?? NaN) - (r.forcedMs ?? NaN));
    assert.ok(graces.length >= 20 && recoveries.length >= 50, `${graces.length} / ${recoveries.length}`);
    for (const g of graces) inRange(g, 50, 80, 'grace period');
    for (const d of recoveries) inRange(d, 200, 300, 'recovery delay');
    assert.ok(Math.max(...graces) - Math.min(...graces) >= 15, 'grace periods are drawn, not fixed');
    assert.ok(Math.max(...recoveries) - Math.min(...recoveries) >= 50, 'recovery delays are drawn, not fixed');
  });
});
