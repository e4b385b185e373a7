import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertAlways,
  assertAlwaysGreaterThan,
  assertAlwaysGreaterThanOrEqualTo,
  assertAlwaysLessThan,
  assertAlwaysLessThanOrEqualTo,
  assertAlwaysOrUnreachable,
  assertReachable,
  assertSometimes,
  assertSometimesAll,
  assertSometimesEach,
  assertSometimesGreaterThan,
  assertSometimesGreaterThanOrEqualTo,
  assertSometimesLessThan,
  assertSometimesLessThanOrEqualTo,
  assertUnreachable,
} from '@moonpool/core';
import {
  assertionResults,
  panicOnAssertionViolations,
  resetAssertions,
} from '../../src/assertions/results.js';
import {
  type AssertionResult,
  AssertionStore,
  COVERAGE_BITS,
  coverageBit,
  fnv1a32,
  MAX_ASSERTION_SLOTS,
  MAX_EACH_BUCKETS,
} from '@moonpool/explorer';
import { withSimulation } from '../support/in-simulation.js';
import { BuggifyState } from '../../src/chaos/buggify.js';
import { SimRng } from '../../src/kernel/rng.js';

/** Runs `body` inside a fresh simulation; returns its store and the discoveries it reported. */
function inSim(body: (store: AssertionStore) => void): { store: AssertionStore; marks: string[] } {
  const store = new AssertionStore();
  const marks: string[] = [];
  store.onDiscovery = (mark, bucket) =>
    marks.push(bucket === undefined ? mark : `${mark} ${bucket}`);
  withSimulation({ rng: new SimRng(1), assertions: store, buggify: new BuggifyState() }, () => {
    store.beginIteration();
    body(store);
  });
  return { store, marks };
}

function result(store: AssertionStore, msg: string): AssertionResult {
  const r = store.results().find((x) => x.msg === msg);
  assert.ok(r, `no result for ${msg}`);
  return r;
}

function bitSet(bits: Uint32Array, bit: number): boolean {
  return (((bits[bit >>> 5] ?? 0) >>> (bit & 31)) & 1) === 1;
}

function popcount(bits: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < COVERAGE_BITS; i++) if (bitSet(bits, i)) n++;
  return n;
}

describe('assertion functions outside a simulation', () => {
  it('record nothing and never throw', () => {
    assertAlways(false, 'a');
    assertUnreachable('u');
    assertAlwaysGreaterThan(1, 2, 'n');
    assertSometimesAll('all', { x: true });
    assertSometimesEach('each', { k: 1 });
    assert.deepEqual(assertionResults(), []);
    resetAssertions();
    panicOnAssertionViolations();
  });
});

describe('boolean kinds', () => {
  it('Always counts passes and failures, and a failure is an always violation', () => {
    const { store } = inSim(() => {
      assertAlways(true, 'ok');
      assertAlways(true, 'ok');
      assertAlways(true, 'bad');
      assertAlways(false, 'bad');
    });
    assert.deepEqual(
      [result(store, 'ok').passCount, result(store, 'ok').failCount, result(store, 'ok').status],
      [2, 0, 'pass'],
    );
    assert.deepEqual(
      [result(store, 'bad').passCount, result(store, 'bad').failCount, result(store, 'bad').status],
      [1, 1, 'fail'],
    );
    const v = store.validate();
    assert.equal(v.alwaysViolations.length, 1);
    assert.match(v.alwaysViolations[0] ?? '', /"bad" failed 1 of 2/);
    assert.deepEqual(v.coverageViolations, []);
    assert.deepEqual(store.iterationAlwaysViolations(), ['bad']);
  });

  it('AlwaysOrUnreachable fails only when reached with a false condition', () => {
    const { store } = inSim(() => {
      assertAlwaysOrUnreachable(true, 'fine');
      assertAlwaysOrUnreachable(false, 'broken');
    });
    assert.equal(result(store, 'fine').status, 'pass');
    assert.equal(result(store, 'broken').status, 'fail');
    assert.equal(result(store, 'broken').kind, 'AlwaysOrUnreachable');
    assert.deepEqual(store.iterationAlwaysViolations(), ['broken']);
    assert.equal(store.validate().alwaysViolations.length, 1);
  });

  it('Sometimes never true is a coverage violation, never an always violation', () => {
    const { store } = inSim(() => {
      assertSometimes(false, 'never');
      assertSometimes(false, 'once');
      assertSometimes(true, 'once');
    });
    assert.equal(result(store, 'never').status, 'uncovered');
    assert.equal(result(store, 'once').status, 'pass');
    assert.deepEqual([result(store, 'once').passCount, result(store, 'once').failCount], [1, 1]);
    const v = store.validate();
    assert.deepEqual(v.alwaysViolations, []);
    assert.equal(v.coverageViolations.length, 1);
    assert.match(v.coverageViolations[0] ?? '', /"never" was never true/);
    assert.deepEqual(store.iterationAlwaysViolations(), []);
  });

  it('Reachable counts reaches; Unreachable reached is an always violation', () => {
    const { store } = inSim(() => {
      assertReachable('here');
      assertReachable('here');
      assertUnreachable('nope');
    });
    assert.deepEqual([result(store, 'here').passCount, result(store, 'here').status], [2, 'pass']);
    assert.deepEqual([result(store, 'nope').failCount, result(store, 'nope').status], [1, 'fail']);
    assert.deepEqual(store.iterationAlwaysViolations(), ['nope']);
    assert.match(store.validate().alwaysViolations[0] ?? '', /"nope" was reached 1 times/);
  });

  it('keeps results in first-seen order and aggregates over iterations', () => {
    const { store } = inSim((s) => {
      assertSometimes(true, 'b');
      assertAlways(false, 'a');
      s.beginIteration();
      assert.deepEqual(s.iterationAlwaysViolations(), []);
      assertAlways(true, 'a');
    });
    assert.deepEqual(
      store.results().map((r) => r.msg),
      ['b', 'a'],
    );
    assert.deepEqual([result(store, 'a').passCount, result(store, 'a').failCount], [1, 1]);
    assert.equal(store.validate().alwaysViolations.length, 1);
  });

  it('lists each failed message once per iteration, in failure order', () => {
    const { store } = inSim(() => {
      assertAlways(false, 'x');
      assertUnreachable('y');
      assertAlways(false, 'x');
      assertAlwaysLessThan(5, 1, 'z');
    });
    assert.deepEqual(store.iterationAlwaysViolations(), ['x', 'y', 'z']);
  });
});

describe('numeric kinds', () => {
  it('NumericAlways classifies each comparison and fails on a miss', () => {
    const { store } = inSim(() => {
      assertAlwaysGreaterThan(5, 4, 'gt');
      assertAlwaysGreaterThan(4, 4, 'gt');
      assertAlwaysGreaterThanOrEqualTo(4, 4, 'ge');
      assertAlwaysLessThan(3, 4, 'lt');
      assertAlwaysLessThanOrEqualTo(4, 4, 'le');
      assertAlwaysLessThanOrEqualTo(5, 4, 'le');
    });
    assert.deepEqual(
      store.results().map((r) => [r.msg, r.kind, r.cmp, r.passCount, r.failCount, r.status]),
      [
        ['gt', 'NumericAlways', 'gt', 1, 1, 'fail'],
        ['ge', 'NumericAlways', 'ge', 1, 0, 'pass'],
        ['lt', 'NumericAlways', 'lt', 1, 0, 'pass'],
        ['le', 'NumericAlways', 'le', 1, 1, 'fail'],
      ],
    );
    assert.deepEqual(store.iterationAlwaysViolations(), ['gt', 'le']);
    assert.equal(store.validate().alwaysViolations.length, 2);
  });

  it('tracks the watermark: max for gt/ge, min for lt/le', () => {
    const { store } = inSim(() => {
      for (const v of [3, 9, 1]) {
        assertSometimesGreaterThan(v, 100, 'gt');
        assertSometimesGreaterThanOrEqualTo(v, 100, 'ge');
        assertSometimesLessThan(v, -100, 'lt');
        assertSometimesLessThanOrEqualTo(v, -100, 'le');
        assertAlwaysGreaterThan(v, 0, 'always-gt');
        assertAlwaysLessThan(v, 10, 'always-lt');
      }
    });
    assert.equal(result(store, 'gt').watermark, 9);
    assert.equal(result(store, 'ge').watermark, 9);
    assert.equal(result(store, 'lt').watermark, 1);
    assert.equal(result(store, 'le').watermark, 1);
    assert.equal(result(store, 'always-gt').watermark, 9);
    assert.equal(result(store, 'always-lt').watermark, 1);
  });

  it('NumericSometimes never succeeding is a coverage violation', () => {
    const { store } = inSim(() => {
      assertSometimesGreaterThan(1, 5, 'never');
      assertSometimesGreaterThan(6, 5, 'once');
    });
    assert.equal(result(store, 'never').status, 'uncovered');
    assert.equal(result(store, 'once').status, 'pass');
    const v = store.validate();
    assert.deepEqual(v.alwaysViolations, []);
    assert.equal(v.coverageViolations.length, 1);
    assert.match(v.coverageViolations[0] ?? '', /"never" never succeeded/);
  });

  it('compares bigint values exactly, mixed with numbers', () => {
    const big = 2n ** 60n;
    const { store } = inSim(() => {
      assertAlwaysGreaterThan(big + 1n, big, 'big');
      assertAlwaysGreaterThan(big, 2 ** 60, 'equal');
      assertSometimesGreaterThan(big + 7n, 0, 'wm');
      assertSometimesGreaterThan(5, 0, 'wm');
    });
    assert.equal(result(store, 'big').status, 'pass');
    assert.equal(result(store, 'equal').status, 'fail');
    assert.equal(result(store, 'wm').watermark, big + 7n);
  });

  it('ignores NaN for the watermark', () => {
    const { store } = inSim(() => {
      assertSometimesGreaterThan(Number.NaN, 0, 'nan');
      assertSometimesGreaterThan(2, 0, 'nan');
      assertSometimesGreaterThan(Number.NaN, 0, 'nan');
    });
    assert.equal(result(store, 'nan').watermark, 2);
    assert.deepEqual([result(store, 'nan').passCount, result(store, 'nan').failCount], [1, 2]);
  });
});

describe('sometimes-all and each', () => {
  it('tracks the frontier and which conditions were ever true', () => {
    const { store } = inSim(() => {
      assertSometimesAll('all', { a: true, b: false, c: false });
      assertSometimesAll('all', { a: false, b: true, c: true });
      assertSometimesAll('all', { a: true, b: false, c: false });
    });
    const r = result(store, 'all');
    assert.equal(r.kind, 'BooleanSometimesAll');
    assert.equal(r.frontier, 2);
    assert.deepEqual(r.conditions, [
      { name: 'a', seenTrue: true },
      { name: 'b', seenTrue: true },
      { name: 'c', seenTrue: true },
    ]);
    assert.deepEqual([r.passCount, r.failCount, r.status], [0, 3, 'uncovered']);
    assert.deepEqual(store.validate(), { alwaysViolations: [], coverageViolations: [] });
  });

  it('passes once every condition is true at the same time', () => {
    const { store } = inSim(() => assertSometimesAll('all', { a: true, b: true }));
    const r = result(store, 'all');
    assert.deepEqual([r.frontier, r.passCount, r.status], [2, 1, 'pass']);
  });

  it('buckets by sorted identity keys and keeps the best quality', () => {
    const { store } = inSim(() => {
      assertSometimesEach('room', { floor: 1, room: 'a' }, { hp: 3, gold: 1 });
      assertSometimesEach('room', { room: 'a', floor: 1 }, { hp: 5, gold: 0 });
      assertSometimesEach('room', { floor: 1, room: 'a' }, { hp: 4, gold: 9 });
      assertSometimesEach('room', { floor: 2, room: 'a' });
      assertSometimesEach('room', { floor: '2', room: 'a' });
    });
    const r = result(store, 'room');
    assert.equal(r.kind, 'EachBucket');
    assert.equal(r.passCount, 5);
    assert.deepEqual(r.buckets, [
      { key: '{"floor":1,"room":"a"}', hits: 3, quality: { hp: 5, gold: 0 } },
      { key: '{"floor":2,"room":"a"}', hits: 1 },
      { key: '{"floor":"2","room":"a"}', hits: 1 },
    ]);
  });

  it(`keeps at most ${MAX_EACH_BUCKETS} buckets per site with one warning`, () => {
    const { store, marks } = inSim(() => {
      for (let i = 0; i < MAX_EACH_BUCKETS + 50; i++) assertSometimesEach('many', { i });
      for (let i = 0; i < 10; i++) assertSometimesEach('other', { i });
    });
    assert.equal(result(store, 'many').buckets?.length, MAX_EACH_BUCKETS);
    assert.equal(result(store, 'other').buckets?.length, 10);
    assert.equal(marks.length, MAX_EACH_BUCKETS + 10);
    assert.equal(store.warnings().length, 1);
    assert.match(store.warnings()[0] ?? '', /"many"/);
  });
});

describe('limits and misuse', () => {
  it(`tracks at most ${MAX_ASSERTION_SLOTS} messages, one warning per dropped message`, () => {
    const { store } = inSim(() => {
      for (let i = 0; i < MAX_ASSERTION_SLOTS + 3; i++) assertAlways(true, `m${i}`);
      for (let i = 0; i < MAX_ASSERTION_SLOTS + 3; i++) assertAlways(false, `m${i}`);
    });
    assert.equal(store.results().length, MAX_ASSERTION_SLOTS);
    assert.equal(store.warnings().length, 3);
    assert.ok(store.warnings().every((w) => /not tracked/.test(w)));
  });

  it('ignores a message reused with another kind, with a warning', () => {
    const { store } = inSim(() => {
      assertAlways(true, 'x');
      assertSometimes(false, 'x');
      assertAlwaysGreaterThan(1, 0, 'n');
      assertAlwaysLessThan(1, 0, 'n');
    });
    assert.deepEqual([result(store, 'x').kind, result(store, 'x').failCount], ['Always', 0]);
    assert.deepEqual([result(store, 'n').cmp, result(store, 'n').failCount], ['gt', 0]);
    assert.equal(store.warnings().length, 2);
  });

  it('does not throw into user code when the discovery hook throws', () => {
    const { store } = inSim((s) => {
      s.onDiscovery = () => {
        throw new Error('hook broke');
      };
      assertReachable('r');
    });
    assert.equal(result(store, 'r').passCount, 1);
    assert.match(store.warnings()[0] ?? '', /hook broke/);
  });

  it('resetAssertions and reset forget everything', () => {
    const { store } = inSim(() => {
      assertAlways(false, 'a');
      resetAssertions();
      assert.deepEqual(assertionResults(), []);
      assertSometimes(true, 's');
    });
    assert.deepEqual(
      store.results().map((r) => r.msg),
      ['s'],
    );
    assert.deepEqual(store.iterationAlwaysViolations(), []);
    store.reset();
    assert.deepEqual(store.results(), []);
    assert.equal(popcount(store.coverageBits()), 0);
  });
});

describe('discovery hook and coverage bitmap', () => {
  it('fires exactly on the split conditions', () => {
    const { store, marks } = inSim(() => {
      assertAlways(false, 'always');
      assertAlwaysOrUnreachable(false, 'aou');
      assertUnreachable('unreachable');
      assertAlwaysGreaterThan(10, 0, 'numeric-always');
      assertAlwaysGreaterThan(20, 0, 'numeric-always');
      assertSometimes(false, 's');
      assertSometimes(true, 's');
      assertSometimes(true, 's');
      assertReachable('r');
      assertReachable('r');
      assertSometimesGreaterThan(5, 100, 'ns');
      assertSometimesGreaterThan(3, 100, 'ns');
      assertSometimesGreaterThan(5, 100, 'ns');
      assertSometimesGreaterThan(6, 100, 'ns');
      assertSometimesLessThan(5, 0, 'nl');
      assertSometimesLessThan(7, 0, 'nl');
      assertSometimesLessThan(4, 0, 'nl');
      assertSometimesAll('all', { a: false, b: false });
      assertSometimesAll('all', { a: true, b: false });
      assertSometimesAll('all', { a: false, b: true });
      assertSometimesAll('all', { a: true, b: true });
      assertSometimesEach('each', { k: 1 });
      assertSometimesEach('each', { k: 1 });
      assertSometimesEach('each', { k: 2 }, { q: 1 });
      assertSometimesEach('each', { k: 2 }, { q: 1 });
      assertSometimesEach('each', { k: 2 }, { q: 0 });
      assertSometimesEach('each', { k: 2 }, { q: 3 });
    });
    assert.deepEqual(marks, [
      's',
      'r',
      'ns',
      'ns',
      'nl',
      'nl',
      'all',
      'all',
      'each {"k":1}',
      'each {"k":2}',
      'each {"k":2}',
    ]);
    const bits = store.coverageBits();
    for (const mark of ['s', 'r', 'ns', 'nl', 'all']) assert.ok(bitSet(bits, coverageBit(mark)));
    assert.ok(bitSet(bits, coverageBit('each', '{"k":1}')));
    assert.ok(bitSet(bits, coverageBit('each', '{"k":2}')));
    assert.ok(!bitSet(bits, coverageBit('always')));
    assert.ok(!bitSet(bits, coverageBit('unreachable')));
    assert.equal(popcount(bits), 7);
  });

  it('splits on first truth once per run, but the bitmap is per iteration', () => {
    const { store, marks } = inSim((s) => {
      assertSometimes(true, 's');
      s.beginIteration();
      assertSometimes(true, 's');
    });
    assert.deepEqual(marks, ['s']);
    assert.equal(popcount(store.coverageBits()), 0);
  });

  it('uses 32-bit FNV-1a over UTF-8 for the bit index', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
    // 'é' is hashed as its two UTF-8 bytes, not as one UTF-16 unit.
    let h = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) h = Math.imul(h ^ byte, 0x01000193);
    assert.equal(fnv1a32('é'), h >>> 0);
    assert.equal(coverageBit('a'), 0xe40c292c % COVERAGE_BITS);
    assert.equal(new AssertionStore().coverageBits().length * 32, COVERAGE_BITS);
  });

  it('is deterministic: the same calls give the same results and bitmap', () => {
    const run = () =>
      inSim(() => {
        const rng = new SimRng(42n);
        for (let i = 0; i < 500; i++) {
          const v = rng.range(0, 1000);
          assertSometimesGreaterThan(v, 990, 'high');
          assertSometimesEach('bucket', { b: v % 7 });
          assertAlways(v !== 500, 'not 500');
        }
      });
    const a = run();
    const b = run();
    assert.deepEqual(a.store.results(), b.store.results());
    assert.deepEqual(a.marks, b.marks);
    assert.deepEqual(a.store.coverageBits(), b.store.coverageBits());
  });
});

describe('panicOnAssertionViolations', () => {
  it('throws listing always violations and ignores coverage gaps', () => {
    const { store } = inSim(() => {
      assertAlways(false, 'broken invariant');
      assertSometimes(false, 'rare');
      assert.throws(() => panicOnAssertionViolations(), /broken invariant/);
    });
    assert.throws(() => panicOnAssertionViolations(store.results()), /1 assertion violation/);
    assert.throws(() => panicOnAssertionViolations({ alwaysViolations: ['x'] }), /x/);
    panicOnAssertionViolations({ alwaysViolations: [] });
    panicOnAssertionViolations(store.results().filter((r) => r.msg === 'rare'));
  });
});
