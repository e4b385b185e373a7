// Spans of one thread stay properly nested: those that would overlap without nesting go to extra lanes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanLanes } from '../../src/trace/span-lanes.js';

describe('SpanLanes', () => {
  it('keeps sequential and nested spans on the thread itself (they arrive in the order they end)', () => {
    const lanes = new SpanLanes();
    assert.equal(lanes.place(0, 10), 0);
    assert.equal(lanes.place(12, 15), 0);
    assert.equal(lanes.place(10, 20), 0, 'touches [0, 10] and encloses [12, 15]');
    assert.equal(lanes.place(0, 30), 0, 'encloses everything before it');
  });

  it('moves a span that overlaps without nesting to the first lane where it fits', () => {
    const lanes = new SpanLanes();
    assert.equal(lanes.place(0, 10), 0);
    assert.equal(lanes.place(5, 15), 1, 'starts inside [0, 10] and ends after it');
    assert.equal(lanes.place(8, 20), 2, 'overlaps both');
    assert.equal(lanes.place(16, 25), 0, 'lane 0 is free again');
    assert.equal(lanes.place(0, 30), 0, 'encloses everything of lane 0');
  });
});
