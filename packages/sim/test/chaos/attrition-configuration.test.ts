// The attrition configuration: how the reboot kind is chosen from the weights, and which
// configurations validateAttrition and the builder reject.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationError } from '@moonpool/core';
import type { IterationRun } from '../../src/report/simulation-report.js';
import { type Attrition, chooseRebootKind, validateAttrition } from '../../src/chaos/attrition.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { RebootKind } from '../../src/chaos/reboot.js';
import { observer, quiet, stubborn } from '../support/attrition.js';

describe('attrition: chooseRebootKind', () => {
  const base = { maxDead: 1 };

  it('maps the ratio onto the normalised weights, in the order Graceful, Crash, CrashAndWipe', () => {
    const a: Attrition = { ...base, probGraceful: 1, probCrash: 2, probWipe: 1 };
    assert.equal(chooseRebootKind(a, 0), 'Graceful');
    assert.equal(chooseRebootKind(a, 0.2499), 'Graceful');
    assert.equal(chooseRebootKind(a, 0.25), 'Crash');
    assert.equal(chooseRebootKind(a, 0.7499), 'Crash');
    assert.equal(chooseRebootKind(a, 0.75), 'CrashAndWipe');
    assert.equal(chooseRebootKind(a, 0.999999), 'CrashAndWipe');
  });

  it('weights need not sum to 1: {2, 2, 0} is half graceful, half crash, never a wipe', () => {
    const a: Attrition = { ...base, probGraceful: 2, probCrash: 2, probWipe: 0 };
    const counts = sweep(a);
    assert.deepEqual(counts, { Graceful: 5000, Crash: 5000, CrashAndWipe: 0 });
    assert.deepEqual(
      sweep({ ...base, probGraceful: 0.2, probCrash: 0.2, probWipe: 0 }),
      counts,
      'only the proportions matter',
    );
  });

  it('a zero weight is never chosen, even at the ratio boundaries', () => {
    assert.deepEqual(sweep({ ...base, probGraceful: 0, probCrash: 0, probWipe: 5 }), {
      Graceful: 0,
      Crash: 0,
      CrashAndWipe: 10000,
    });
    assert.deepEqual(sweep({ ...base, probGraceful: 0, probCrash: 3, probWipe: 0 }), {
      Graceful: 0,
      Crash: 10000,
      CrashAndWipe: 0,
    });
    assert.deepEqual(sweep({ ...base, probGraceful: 7, probCrash: 0, probWipe: 0 }), {
      Graceful: 10000,
      Crash: 0,
      CrashAndWipe: 0,
    });
    assert.deepEqual(sweep({ ...base, probGraceful: 1, probCrash: 0, probWipe: 3 }), {
      Graceful: 2500,
      Crash: 0,
      CrashAndWipe: 7500,
    });
  });

  /** Kinds chosen for 10 000 evenly spaced ratios in [0, 1). */
  function sweep(a: Attrition): Record<RebootKind, number> {
    const counts: Record<RebootKind, number> = { Graceful: 0, Crash: 0, CrashAndWipe: 0 };
    for (let i = 0; i < 10000; i++) counts[chooseRebootKind(a, i / 10000)]++;
    return counts;
  }
});

describe('attrition: validation', () => {
  const ok: Attrition = { maxDead: 1, probGraceful: 1, probCrash: 1, probWipe: 1 };

  const bad: Array<[string, Partial<Attrition>, RegExp]> = [
    ['negative maxDead', { maxDead: -1 }, /maxDead/],
    ['fractional maxDead', { maxDead: 1.5 }, /maxDead/],
    ['NaN maxDead', { maxDead: Number.NaN }, /maxDead/],
    ['negative probGraceful', { probGraceful: -0.5 }, /probGraceful/],
    ['NaN probCrash', { probCrash: Number.NaN }, /probCrash/],
    ['infinite probWipe', { probWipe: Number.POSITIVE_INFINITY }, /probWipe/],
    ['all-zero weights', { probGraceful: 0, probCrash: 0, probWipe: 0 }, /probGraceful \+ probCrash \+ probWipe/],
    ['empty recoveryDelayMs', { recoveryDelayMs: [500, 500] }, /recoveryDelayMs/],
    ['reversed recoveryDelayMs', { recoveryDelayMs: [900, 100] }, /recoveryDelayMs/],
    ['negative recoveryDelayMs', { recoveryDelayMs: [-10, 100] }, /recoveryDelayMs/],
    ['reversed gracePeriodMs', { gracePeriodMs: [300, 200] }, /gracePeriodMs/],
    ['NaN gracePeriodMs', { gracePeriodMs: [Number.NaN, 200] }, /gracePeriodMs/],
  ];

  for (const [what, patch, field] of bad) {
    it(`rejects ${what} with a RangeError naming the field (validateAttrition and builder.attrition)`, () => {
      const config = { ...ok, ...patch };
      assert.throws(() => validateAttrition(config), (err: unknown) => {
        assert.ok(err instanceof RangeError, String(err));
        assert.match(err.message, field);
        return true;
      });
      assert.throws(() => new SimulationBuilder().attrition(config), RangeError);
    });
  }

  it('accepts valid configurations unchanged (weights need not sum to 1, a zero maxDead is allowed)', () => {
    for (const a of [
      ok,
      { maxDead: 0, probGraceful: 0, probCrash: 0, probWipe: 0.1 },
      { maxDead: 3, probGraceful: 10, probCrash: 0, probWipe: 0, recoveryDelayMs: [0, 1], gracePeriodMs: [5, 6] },
    ] as Attrition[]) {
      assert.equal(validateAttrition(a), a);
    }
  });

  it(
    'a fractional or unbounded delay range is rejected up front, or else works',
    async () => {
      const ranges = [[0.5, 2.5], [0, Number.POSITIVE_INFINITY]] as const;
      for (const range of ranges) {
        for (const field of ['recoveryDelayMs', 'gracePeriodMs'] as const) {
          const config: Attrition = { maxDead: 1, probGraceful: 1, probCrash: 1, probWipe: 0, [field]: range };
          let rejected = false;
          try {
            validateAttrition(config);
          } catch (err) {
            assert.ok(err instanceof RangeError && err.message.includes(field), String(err));
            rejected = true;
          }
          if (rejected) continue;
          const report = await quiet(new SimulationBuilder())
            .processes(1, stubborn)
            .attrition(config)
            .chaosDuration(20_000)
            .workload(observer(20_000, []))
            .setDebugSeeds([1])
            .run();
          const run = report.runs[0] as IterationRun;
          assert.ok(run.ok, `${field} [${range.join(', ')}]: ${run.error ?? ''}`);
        }
      }
    },
  );

  it('attrition without chaosDuration: run() rejects with a SimulationError naming chaosDuration', async () => {
    const b = new SimulationBuilder().processes(2, stubborn).attrition(ok).workload(observer(10, []));
    await assert.rejects(b.run(), (err: unknown) => {
      assert.ok(err instanceof SimulationError, String(err));
      assert.match(err.message, /chaosDuration/);
      return true;
    });
    // With the chaos phase set, the same builder runs.
    const report = await b.chaosDuration(100).setDebugSeeds([1]).run();
    assert.equal(report.failedRuns, 0);
  });
});
