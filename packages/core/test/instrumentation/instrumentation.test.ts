// The assertion and buggify entry points: no-ops in production, recorded by the implementation a
// simulation installs, and never throwing into the caller.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AssertionRecorder,
  assertAlways,
  assertAlwaysGreaterThan,
  assertReachable,
  assertSometimes,
  assertSometimesAll,
  assertSometimesEach,
  assertSometimesLessThan,
  assertUnreachable,
  buggify,
  buggifyWithProb,
  currentInstrumentation,
  type Instrumentation,
  installInstrumentation,
  uninstallInstrumentation,
} from '../../src/index.js';

/** A recorder that writes every call down. */
function recorder(): AssertionRecorder & { calls: string[]; warnings: string[]; suppressed: boolean } {
  const calls: string[] = [];
  const warnings: string[] = [];
  return {
    calls,
    warnings,
    suppressed: false,
    recordBool: (kind, cond, msg) => calls.push(`${kind} ${cond} ${msg}`),
    recordNumeric: (kind, cmp, value, threshold, msg) => calls.push(`${kind} ${cmp} ${value} ${threshold} ${msg}`),
    recordReachable: (msg) => calls.push(`Reachable ${msg}`),
    recordUnreachable: (msg) => calls.push(`Unreachable ${msg}`),
    recordSometimesAll: (msg, conditions) => calls.push(`All ${msg} ${JSON.stringify(conditions)}`),
    recordEach: (msg, keys, quality) => calls.push(`Each ${msg} ${JSON.stringify(keys)} ${JSON.stringify(quality)}`),
    warn: (message) => warnings.push(message),
  };
}

function installed<T>(instrumentation: Instrumentation, body: () => T): T {
  installInstrumentation(instrumentation);
  try {
    return body();
  } finally {
    uninstallInstrumentation(instrumentation);
  }
}

describe('instrumentation entry points', () => {
  it('do nothing and answer false outside a simulation', () => {
    assert.equal(currentInstrumentation(), null);
    assertAlways(false, 'ignored');
    assertUnreachable('ignored');
    assert.equal(buggify('site'), false);
    assert.equal(buggifyWithProb('site', 1), false);
  });

  it('hand every call to the installed recorder and buggify', () => {
    const rec = recorder();
    const sites: string[] = [];
    const fired = installed(
      {
        assertions: rec,
        buggify: (site, p) => {
          sites.push(`${site}@${p}`);
          return site === 'yes';
        },
      },
      () => {
        assertAlways(true, 'a');
        assertSometimes(false, 'b');
        assertReachable('c');
        assertUnreachable('d');
        assertAlwaysGreaterThan(3, 2, 'e');
        assertSometimesLessThan(5n, 7n, 'f');
        assertSometimesAll('g', { x: true });
        assertSometimesEach('h', { k: 1 }, { q: 2 });
        return [buggify('yes'), buggifyWithProb('no', 0.5)];
      },
    );
    assert.deepEqual(rec.calls, [
      'Always true a',
      'Sometimes false b',
      'Reachable c',
      'Unreachable d',
      'NumericAlways gt 3 2 e',
      'NumericSometimes lt 5 7 f',
      'All g {"x":true}',
      'Each h {"k":1} {"q":2}',
    ]);
    assert.deepEqual(fired, [true, false]);
    assert.deepEqual(sites, ['yes@undefined', 'no@0.5']);
    assert.equal(currentInstrumentation(), null, 'uninstalled afterwards');
  });

  it('skip recording while the recorder is suppressed', () => {
    const rec = recorder();
    rec.suppressed = true;
    installed({ assertions: rec, buggify: () => false }, () => assertAlways(false, 'replayed prefix'));
    assert.deepEqual(rec.calls, []);
  });

  it('turn a recorder that throws into a warning, never into the caller', () => {
    const rec = recorder();
    rec.recordBool = () => {
      throw new Error('slots full');
    };
    installed({ assertions: rec, buggify: () => false }, () => assertAlways(true, 'x'));
    assert.equal(rec.warnings.length, 1);
    assert.match(rec.warnings[0] ?? '', /slots full/);
  });

  it('uninstall only what was installed', () => {
    const a: Instrumentation = { assertions: recorder(), buggify: () => true };
    const b: Instrumentation = { assertions: recorder(), buggify: () => false };
    installInstrumentation(a);
    uninstallInstrumentation(b);
    assert.equal(currentInstrumentation(), a);
    uninstallInstrumentation(a);
    assert.equal(currentInstrumentation(), null);
  });
});
