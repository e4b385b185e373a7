// The set of alternatives a cycle has tried: bits of a number for the first 32, bytes past them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { markTried, triedBeyond32, wasTried } from '../../src/load-balance/tried.js';

it('remembers each index, below and past 32', () => {
  for (const size of [1, 31, 32, 33, 70]) {
    const beyond = triedBeyond32(size);
    assert.equal(beyond === null, size <= 32);
    let low = 0;
    const picked = [0, 5, 30, 31, 32, 33, 69].filter((i) => i < size);
    for (const i of picked) low = markTried(i, low, beyond);
    for (let i = 0; i < size; i++) assert.equal(wasTried(i, low, beyond), picked.includes(i), `size ${size}, index ${i}`);
  }
});
