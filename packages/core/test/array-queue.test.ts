import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArrayQueue } from '../src/index.js';

test('items come out in the order they went in, with size, peek and an empty queue', () => {
  const queue = new ArrayQueue<string>();
  assert.equal(queue.shift(), undefined);
  assert.equal(queue.peek(), undefined);
  queue.push('a');
  queue.push('b');
  assert.equal(queue.size, 2);
  assert.equal(queue.peek(), 'a');
  assert.equal(queue.shift(), 'a');
  queue.push('c');
  assert.deepEqual([queue.shift(), queue.shift(), queue.shift()], ['b', 'c', undefined]);
  assert.equal(queue.size, 0);
});

test('drain takes everything out, oldest first, and the queue works on afterwards', () => {
  const queue = new ArrayQueue<number>();
  for (let i = 0; i < 5; i++) queue.push(i);
  queue.shift();
  assert.deepEqual(queue.drain(), [1, 2, 3, 4]);
  assert.equal(queue.size, 0);
  queue.push(9);
  assert.deepEqual(queue.drain(), [9]);
});

test('a queue that never empties keeps its order across compactions and does not grow without bound', () => {
  const queue = new ArrayQueue<number>();
  let next = 0;
  let expected = 0;
  for (let i = 0; i < 3; i++) queue.push(next++);
  for (let round = 0; round < 10_000; round++) {
    queue.push(next++);
    assert.equal(queue.shift(), expected++);
    assert.equal(queue.size, 3);
  }
  assert.deepEqual(queue.drain(), [expected, expected + 1, expected + 2]);
  // The backing array is compacted: it holds about COMPACT_AFTER slots at most, not 10 000.
  const items = (queue as unknown as { items: unknown[] }).items;
  assert.ok(items.length <= 2100, `backing array of ${items.length} slots`);
});

test('taken items are not kept alive by the queue', () => {
  const queue = new ArrayQueue<object>();
  queue.push({});
  queue.push({});
  queue.shift();
  const items = (queue as unknown as { items: unknown[] }).items;
  assert.equal(items[0], undefined);
  assert.notEqual(items[1], undefined);
});
