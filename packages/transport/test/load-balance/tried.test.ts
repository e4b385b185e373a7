// The set of alternatives a cycle has tried: bits of a number for the first 32, bytes past them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Tried } from '../../src/load-balance/tried.js';

it('remembers each index, below and past 32, until cleared', () => {
  for (const size of [1, 31, 32, 33, 70]) {
    const tried = new Tried(size);
    const picked = [0, 5, 30, 31, 32, 33, 69].filter((i) => i < size);
    for (const i of picked) tried.add(i);
    for (let i = 0; i < size; i++) assert.equal(tried.has(i), picked.includes(i), `size ${size}, index ${i}`);
    tried.clear();
    for (let i = 0; i < size; i++) assert.equal(tried.has(i), false, `size ${size}, index ${i} after clear`);
  }
});
