import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinkedList } from '../../src/collections/linked-list.js';

describe('LinkedList', () => {
  it('keeps values in the order they were pushed and removes any of them through its node', () => {
    const list = new LinkedList<string>();
    const nodes = ['a', 'b', 'c', 'd'].map((v) => list.push(v));
    assert.equal(list.size, 4);
    assert.equal(list.remove(nodes[1]!), true); // middle
    assert.equal(list.remove(nodes[0]!), true); // head
    assert.equal(list.remove(nodes[3]!), true); // tail
    assert.deepEqual(list.values(), ['c']);
    list.push('e');
    assert.deepEqual(list.values(), ['c', 'e']);
    assert.equal(list.size, 2);
  });

  it('removing twice, or after clear, changes nothing', () => {
    const list = new LinkedList<number>();
    const one = list.push(1);
    const two = list.push(2);
    assert.equal(list.remove(one), true);
    assert.equal(list.remove(one), false);
    assert.deepEqual(list.clear(), [2]);
    assert.equal(list.remove(two), false);
    assert.equal(list.size, 0);
    assert.deepEqual(list.values(), []);
    list.push(3);
    assert.deepEqual(list.values(), [3]);
  });

  it('values() is a copy: removing while going through it is safe', () => {
    const list = new LinkedList<number>();
    const nodes = [1, 2, 3].map((v) => list.push(v));
    const seen: number[] = [];
    for (const v of list.values()) {
      seen.push(v);
      for (const node of nodes) list.remove(node);
    }
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(list.size, 0);
  });
});
