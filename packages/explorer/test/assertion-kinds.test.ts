import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ASSERTION_KINDS,
  type AssertionKind,
  type AssertionResult,
  type AssertionStatus,
  AssertionStore,
  validateResults,
} from '../src/index.js';

/** Written out per kind (not derived from the table), so a changed entry fails here. */
interface Expected {
  family: 'always' | 'coverage';
  /** Status with (pass, fail) = (0, 0), (1, 0), (0, 1), (1, 1). */
  statuses: [AssertionStatus, AssertionStatus, AssertionStatus, AssertionStatus];
  /** Violation text of `violated(kind)`; null: never a violation. */
  violation: string | null;
  label: string;
  /** Counts column of `counted(kind)`. */
  counts: string;
}

const ALWAYS_STATUSES: Expected['statuses'] = ['pass', 'pass', 'fail', 'fail'];
const COVERAGE_STATUSES: Expected['statuses'] = ['uncovered', 'pass', 'uncovered', 'pass'];

const EXPECTED: Record<AssertionKind, Expected> = {
  Always: {
    family: 'always',
    statuses: ALWAYS_STATUSES,
    violation: '[Always] "m" failed 4 of 4 times',
    label: 'always',
    counts: '1,234 pass  2 fail',
  },
  AlwaysOrUnreachable: {
    family: 'always',
    statuses: ALWAYS_STATUSES,
    violation: '[AlwaysOrUnreachable] "m" failed 4 of 4 times',
    label: 'always-or-unr',
    counts: '1,234 pass  2 fail',
  },
  NumericAlways: {
    family: 'always',
    statuses: ALWAYS_STATUSES,
    violation: '[NumericAlways gt] "m" failed 4 of 4 times, watermark 7',
    label: 'always',
    counts: '1,234 pass  2 fail  watermark 7',
  },
  Unreachable: {
    family: 'always',
    statuses: ALWAYS_STATUSES,
    violation: '[Unreachable] "m" was reached 4 times',
    label: 'unreachable',
    counts: 'reached 2 times',
  },
  Sometimes: {
    family: 'coverage',
    statuses: COVERAGE_STATUSES,
    violation: '[Sometimes] "m" was never true (4 evaluations)',
    label: 'sometimes',
    counts: '1,234 / 1,236 (99.8%)',
  },
  Reachable: {
    family: 'coverage',
    statuses: COVERAGE_STATUSES,
    violation: '[Reachable] "m" was never reached',
    label: 'reachable',
    counts: 'reached 1,234 times',
  },
  NumericSometimes: {
    family: 'coverage',
    statuses: COVERAGE_STATUSES,
    violation: '[NumericSometimes gt] "m" never succeeded (4 evaluations, watermark 7)',
    label: 'sometimes',
    counts: '1,234 / 1,236 (99.8%)  watermark 7',
  },
  BooleanSometimesAll: {
    family: 'coverage',
    statuses: COVERAGE_STATUSES,
    violation: null,
    label: 'sometimes-all',
    counts: '1,234 / 1,236 (99.8%)  frontier 2/3',
  },
  EachBucket: {
    family: 'coverage',
    statuses: COVERAGE_STATUSES,
    violation: null,
    label: 'each',
    counts: '2 buckets  1,234 hits',
  },
};

const KINDS = Object.keys(EXPECTED) as AssertionKind[];
const numeric = (kind: AssertionKind): boolean => kind === 'NumericAlways' || kind === 'NumericSometimes';

/** A result that violates any judged kind: never passed, failed 4 times. */
function violated(kind: AssertionKind): AssertionResult {
  const r: AssertionResult = { msg: 'm', kind, passCount: 0, failCount: 4, status: 'fail' };
  if (numeric(kind)) {
    r.cmp = 'gt';
    r.watermark = 7;
  }
  return r;
}

function counted(kind: AssertionKind): AssertionResult {
  const r: AssertionResult = { msg: 'm', kind, passCount: 1234, failCount: 2, status: 'pass' };
  if (numeric(kind)) {
    r.cmp = 'gt';
    r.watermark = 7;
  }
  if (kind === 'BooleanSometimesAll') {
    r.frontier = 2;
    r.conditions = [
      { name: 'a', seenTrue: true },
      { name: 'b', seenTrue: true },
      { name: 'c', seenTrue: false },
    ];
  }
  if (kind === 'EachBucket') r.buckets = [{ key: '{"k":1}', hits: 1000 }, { key: '{"k":2}', hits: 234 }];
  return r;
}

const grouped = (n: number): string => n.toLocaleString('en-US');

describe('assertion kinds table', () => {
  it('has exactly one entry per kind', () => {
    assert.deepEqual(Object.keys(ASSERTION_KINDS).sort(), [...KINDS].sort());
  });

  for (const kind of KINDS) {
    const expected = EXPECTED[kind];
    const spec = ASSERTION_KINDS[kind];

    it(`${kind}: family and status`, () => {
      assert.equal(spec.family, expected.family);
      const statuses = [spec.status(0, 0), spec.status(1, 0), spec.status(0, 1), spec.status(1, 1)];
      assert.deepEqual(statuses, expected.statuses);
    });

    it(`${kind}: violation text, in its family's list`, () => {
      const { alwaysViolations, coverageViolations } = validateResults([violated(kind)]);
      const texts = expected.violation === null ? [] : [expected.violation];
      assert.deepEqual(alwaysViolations, expected.family === 'always' ? texts : []);
      assert.deepEqual(coverageViolations, expected.family === 'coverage' ? texts : []);
    });

    it(`${kind}: no violation once it passes`, () => {
      const passing = { ...violated(kind), passCount: 1, failCount: 0, status: 'pass' as const };
      assert.deepEqual(validateResults([passing]), { alwaysViolations: [], coverageViolations: [] });
    });

    it(`${kind}: report label and counts`, () => {
      assert.equal(spec.label, expected.label);
      assert.equal(spec.counts(counted(kind), grouped), expected.counts);
    });
  }

  it('shows 0.0% for a ratio of no evaluations', () => {
    const none: AssertionResult = { msg: 'm', kind: 'Sometimes', passCount: 0, failCount: 0, status: 'uncovered' };
    assert.equal(ASSERTION_KINDS.Sometimes.counts(none, grouped), '0 / 0 (0.0%)');
  });

  it('a store judges its slots by the table: always-style failures are the timeline bugs', () => {
    const store = new AssertionStore();
    store.recordBool('Always', false, 'always');
    store.recordBool('AlwaysOrUnreachable', false, 'always-or-unreachable');
    store.recordBool('Sometimes', false, 'sometimes');
    store.recordNumeric('NumericAlways', 'lt', 5, 3, 'numeric-always');
    store.recordNumeric('NumericSometimes', 'lt', 5, 3, 'numeric-sometimes');
    store.recordUnreachable('unreachable');
    store.recordReachable('reachable');
    store.recordSometimesAll('all', { a: true, b: false });
    store.recordEach('each', { k: 1 });
    assert.deepEqual(store.iterationAlwaysViolations(), [
      'always',
      'always-or-unreachable',
      'numeric-always',
      'unreachable',
    ]);
    assert.deepEqual(
      store.results().map((r) => [r.msg, r.status]),
      [
        ['always', 'fail'],
        ['always-or-unreachable', 'fail'],
        ['sometimes', 'uncovered'],
        ['numeric-always', 'fail'],
        ['numeric-sometimes', 'uncovered'],
        ['unreachable', 'fail'],
        ['reachable', 'pass'],
        ['all', 'uncovered'],
        ['each', 'pass'],
      ],
    );
  });
});
