// Over many reboots, attrition chooses the kinds in the proportions of their weights.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReboots, runAttrition } from '../support/attrition.js';

describe('attrition: reboot kinds by weight', () => {
  const fast = { recoveryDelayMs: [10, 20], gracePeriodMs: [10, 20] } as const;

  it('{probGraceful: 2, probCrash: 2, probWipe: 0}: about half graceful, half crash, never a wipe', async () => {
    const { observations } = await runAttrition(
      { maxDead: 1, probGraceful: 2, probCrash: 2, probWipe: 0, ...fast },
      { n: 5, chaosMs: 300_000, runMs: 301_000, seeds: [4, 5] },
    );
    const reboots = observations.flatMap((o) => parseReboots(o.faults));
    const graceful = reboots.filter((r) => r.kind === 'Graceful');
    const crash = reboots.filter((r) => r.kind === 'Crash');
    assert.ok(reboots.length >= 150, `${reboots.length} reboots`);
    assert.equal(graceful.length + crash.length, reboots.length, 'no CrashAndWipe');
    const share = graceful.length / reboots.length;
    assert.ok(share > 0.4 && share < 0.6, `graceful share ${share}`);
    assert.ok(observations.every((o) => o.faults.every((f) => f.event.type !== 'StorageWipe')));
    // A crash is a power loss; a graceful stop (even when forced after the grace period) is not.
    assert.ok(crash.every((r) => r.storageCrash));
    assert.ok(graceful.every((r) => !r.storageCrash && r.forcedMs !== undefined));
  });

  it('{0, 0, 5}: only CrashAndWipe (kill, power loss, wipe, restart)', async () => {
    const { observations } = await runAttrition(
      { maxDead: 1, probGraceful: 0, probCrash: 0, probWipe: 5, ...fast },
      { n: 3, chaosMs: 100_000, runMs: 101_000, seeds: [6] },
    );
    const reboots = parseReboots(observations[0]?.faults ?? []);
    assert.ok(reboots.length >= 20, `${reboots.length} reboots`);
    for (const r of reboots) {
      assert.equal(r.kind, 'CrashAndWipe');
      assert.ok(r.storageCrash && r.wipe && r.restartMs !== undefined);
    }
    assert.ok(observations[0]?.faults.every((f) => f.event.type !== 'ProcessGracefulShutdown'));
  });
});
