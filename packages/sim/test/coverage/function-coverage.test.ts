import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionCoverage } from '../../src/coverage/function-coverage.js';

const r = (startOffset: number, endOffset: number, count: number) => ({ startOffset, endOffset, count });

describe('functionCoverage', () => {
  it('is null for a function that did not run in the period', () => {
    assert.equal(functionCoverage('file:///a.js', [r(10, 90, 0), r(20, 30, 0)]), null);
  });

  it('keys the function by its script and start offset, and subtracts the blocks that did not run', () => {
    const c = functionCoverage('file:///a.js', [r(10, 90, 1), r(20, 30, 0), r(50, 60, 0)]);
    assert.deepEqual(c, { key: 'file:///a.js#10', start: 10, end: 90, covered: [10, 20, 30, 50, 60, 90] });
  });

  it('gives the same covered code however V8 grouped the ranges (merged neighbours, equal counts)', () => {
    // Binary mode merges two neighbouring blocks that did not run; count mode lists blocks with their counts.
    const merged = functionCoverage('u', [r(0, 100, 1), r(40, 70, 0)]);
    const split = functionCoverage('u', [r(0, 100, 3), r(40, 55, 0), r(55, 70, 0), r(70, 80, 3)]);
    assert.deepEqual(merged?.covered, [0, 40, 70, 100]);
    assert.deepEqual(split?.covered, merged?.covered);
  });

  it('counts a block that ran inside one that did not (the innermost range decides)', () => {
    const c = functionCoverage('u', [r(0, 100, 1), r(20, 80, 0), r(40, 50, 2)]);
    assert.deepEqual(c?.covered, [0, 20, 40, 50, 80, 100]);
  });

  it('sorts ranges given out of order, parents before children at the same start', () => {
    const c = functionCoverage('u', [r(0, 100, 1), r(60, 70, 0), r(20, 30, 0), r(20, 25, 1)]);
    assert.deepEqual(c?.covered, [0, 25, 30, 60, 70, 100]);
  });
});
