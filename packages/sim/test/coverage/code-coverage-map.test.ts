import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodeCoverageMap } from '../../src/coverage/code-coverage-map.js';
import type { FunctionCoverage } from '../../src/coverage/function-coverage.js';

/** Function `key` spanning 0..100 with `covered` intervals. */
const fn = (key: string, covered: number[]): FunctionCoverage => ({ key, start: 0, end: 100, covered });

describe('CodeCoverageMap', () => {
  it('finds new code in a function never run, then not again once merged', () => {
    const map = new CodeCoverageMap();
    const a = fn('a#0', [0, 10]);
    assert.equal(map.coversNew([a]), true);
    assert.deepEqual(map.add([a]), [a]);
    assert.equal(map.coversNew([a]), false);
    assert.deepEqual(map.add([a]), [], 'nothing added: a worker need not send it again');
  });

  it('finds a stretch of a known function that no timeline ran yet', () => {
    const map = new CodeCoverageMap();
    map.add([fn('f#0', [0, 20, 30, 100])]);
    assert.equal(map.coversNew([fn('f#0', [0, 20, 50, 100])]), false, 'inside what ran');
    assert.equal(map.coversNew([fn('f#0', [0, 25])]), true, '20..25 never ran');
  });

  it('counts blocks between the boundaries the covered union had after each merge', () => {
    const map = new CodeCoverageMap();
    map.add([fn('f#0', [0, 20, 30, 60])]);
    // Boundaries 0, 20, 30, 60, 100: four blocks, two covered.
    assert.equal(map.blockCount(), 4);
    assert.equal(map.blocksCovered(), 2);
    map.add([fn('f#0', [0, 100])]);
    assert.equal(map.blockCount(), 4, 'a boundary once known stays');
    assert.equal(map.blocksCovered(), 4);
    assert.equal(map.functionCount(), 1);
  });

  it('counts the same whichever way one batch was split into reports', () => {
    const batch = [fn('f#0', [0, 10]), fn('f#0', [0, 10, 40, 50]), fn('f#0', [0, 10, 70, 80])];
    const together = new CodeCoverageMap();
    together.add([fn('f#0', [0, 10, 40, 50, 70, 80])]);
    const apart = new CodeCoverageMap();
    apart.add(batch);
    assert.equal(apart.blockCount(), together.blockCount());
    assert.equal(apart.blocksCovered(), together.blocksCovered());
  });
});
