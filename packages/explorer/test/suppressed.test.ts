import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssertionStore } from '../src/index.js';

/** Calls every record method once, with inputs that would count, split and warn. */
function recordAll(store: AssertionStore): void {
  store.recordBool('Always', false, 'always');
  store.recordBool('Sometimes', true, 'sometimes');
  store.recordReachable('reachable');
  store.recordUnreachable('unreachable');
  store.recordNumeric('NumericSometimes', 'gt', 5, 0, 'numeric');
  store.recordSometimesAll('all', { a: true, b: true });
  store.recordEach('each', { k: 1 }, { q: 1 });
  store.recordBool('Sometimes', true, 'always'); // kind misuse: would warn
}

describe('suppressed mode', () => {
  it('records nothing at all: no slots, bits, discoveries, failures or warnings', () => {
    const store = new AssertionStore();
    const marks: string[] = [];
    store.onDiscovery = (mark) => marks.push(mark);
    store.suppressed = true;
    recordAll(store);
    assert.deepEqual(store.results(), []);
    assert.deepEqual(marks, []);
    assert.equal(store.timelineBitmap.count(), 0);
    assert.deepEqual(store.iterationAlwaysViolations(), []);
    assert.deepEqual(store.warnings(), []);
  });

  it('leaves existing statistics untouched and resumes when lifted', () => {
    const store = new AssertionStore();
    store.recordNumeric('NumericSometimes', 'gt', 1, 0, 'numeric');
    store.recordEach('each', { k: 1 });
    const before = store.results();
    store.suppressed = true;
    recordAll(store);
    assert.deepEqual(store.results(), before);
    store.suppressed = false;
    const marks: string[] = [];
    store.onDiscovery = (mark) => marks.push(mark);
    recordAll(store);
    assert.deepEqual(marks, ['sometimes', 'reachable', 'numeric', 'all', 'each']);
    assert.deepEqual(store.iterationAlwaysViolations(), ['always', 'unreachable']);
  });
});
