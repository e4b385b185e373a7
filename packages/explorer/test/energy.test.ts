import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnergyBudget } from '../src/energy.js';

/** The budget's three levels at a glance. */
function levels(b: EnergyBudget, mark: { remaining: number }): [global: number, mark: number, pool: number] {
  return [b.global, mark.remaining, b.pool];
}

describe('EnergyBudget (three levels)', () => {
  it('a mark opens with its per-mark energy; the pool starts empty', () => {
    const b = new EnergyBudget(10);
    const mark = b.openMark(4);
    assert.deepEqual(levels(b, mark), [10, 4, 0]);
    // Every mark gets its own fresh account.
    const other = b.openMark(4);
    other.remaining--;
    assert.equal(mark.remaining, 4);
  });

  it('take() spends one global unit, then one of the mark', () => {
    const b = new EnergyBudget(10);
    const mark = b.openMark(3);
    assert.equal(b.take(mark), true);
    assert.deepEqual(levels(b, mark), [9, 2, 0]);
    assert.equal(b.take(mark), true);
    assert.equal(b.take(mark), true);
    assert.deepEqual(levels(b, mark), [7, 0, 0]);
  });

  it('once the mark is spent, take() draws on the pool (the mark stays at zero)', () => {
    const b = new EnergyBudget(10);
    const mark = b.openMark(1);
    b.pool = 2;
    assert.equal(b.take(mark), true);
    assert.deepEqual(levels(b, mark), [9, 0, 2], 'the mark pays before the pool');
    assert.equal(b.take(mark), true);
    assert.deepEqual(levels(b, mark), [8, 0, 1]);
    assert.equal(b.take(mark), true);
    assert.deepEqual(levels(b, mark), [7, 0, 0]);
  });

  it('with mark and pool both empty, the global unit goes back and take() fails', () => {
    const b = new EnergyBudget(5);
    const mark = b.openMark(0);
    assert.equal(b.take(mark), false);
    assert.deepEqual(levels(b, mark), [5, 0, 0]);
    // Failing again changes nothing either.
    assert.equal(b.take(mark), false);
    assert.deepEqual(levels(b, mark), [5, 0, 0]);
    // Another mark with energy can still run on the unit that was given back.
    const other = b.openMark(1);
    assert.equal(b.take(other), true);
    assert.deepEqual(levels(b, other), [4, 0, 0]);
  });

  it('global energy 0 stops everything, leaving mark energy and pool untouched', () => {
    const b = new EnergyBudget(2);
    const mark = b.openMark(10);
    b.pool = 7;
    assert.equal(b.take(mark), true);
    assert.equal(b.take(mark), true);
    assert.deepEqual(levels(b, mark), [0, 8, 7]);
    assert.equal(b.take(mark), false);
    assert.deepEqual(levels(b, mark), [0, 8, 7]);
    assert.equal(b.takeGlobal(), false);
    assert.equal(b.global, 0);
    const zero = new EnergyBudget(0);
    const fresh = zero.openMark(3);
    assert.equal(zero.take(fresh), false);
    assert.deepEqual(levels(zero, fresh), [0, 3, 0]);
  });

  it('retire() moves a barren mark\'s remaining energy to the pool, where other marks find it', () => {
    const b = new EnergyBudget(100);
    const barren = b.openMark(10);
    for (let i = 0; i < 4; i++) assert.equal(b.take(barren), true);
    b.retire(barren);
    assert.deepEqual(levels(b, barren), [96, 0, 6]);
    // Retiring again adds nothing.
    b.retire(barren);
    assert.equal(b.pool, 6);
    // A second barren mark adds to the pool.
    const second = b.openMark(3);
    b.retire(second);
    assert.equal(b.pool, 9);
    // A productive mark spends its own 2, then the 9 of the pool, then stops.
    const rich = b.openMark(2);
    let taken = 0;
    while (b.take(rich)) taken++;
    assert.equal(taken, 11);
    assert.deepEqual(levels(b, rich), [85, 0, 0]);
  });

  it('takeGlobal() (fixed-count mode) spends only global energy', () => {
    const b = new EnergyBudget(2);
    b.pool = 5;
    assert.equal(b.takeGlobal(), true);
    assert.equal(b.takeGlobal(), true);
    assert.equal(b.takeGlobal(), false);
    assert.equal(b.global, 0);
    assert.equal(b.pool, 5);
  });
});
