// The progress cell a watchdog thread reads: events, the iteration's label and its machines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressCell } from '../../src/kernel/progress-cell.js';

describe('ProgressCell', () => {
  it('a second view over the same memory sees what the first writes', () => {
    const writer = new ProgressCell();
    const reader = new ProgressCell(writer.buffer);
    assert.equal(reader.snapshot().running, false);
    writer.beginIteration('sim\tseed\t42');
    writer.machineAdded(0, '10.0.0.1 (server)');
    writer.machineAdded(1, '10.0.0.2 (client)');
    writer.event(1500, 1, 1);
    writer.event(2000, 43, 0);
    const s = reader.snapshot();
    assert.equal(s.running, true);
    assert.equal(s.label, 'sim\tseed\t42');
    assert.equal(s.events, 2);
    assert.equal(s.timeTicks, 2000);
    assert.equal(s.lastKind, 43);
    assert.equal(s.lastMachine, '10.0.0.1 (server)');
    writer.event(2500, 1, -1);
    assert.equal(reader.snapshot().lastMachine, null, "the simulator's own event");
  });

  it('each iteration begun or ended changes the iteration number and resets the counts', () => {
    const cell = new ProgressCell();
    cell.beginIteration('a');
    cell.event(1, 1, 0);
    const first = cell.snapshot().iteration;
    cell.endIteration();
    assert.equal(cell.snapshot().running, false);
    cell.beginIteration('b');
    const s = cell.snapshot();
    assert.ok(s.iteration !== first);
    assert.equal(s.events, 0);
    assert.equal(s.label, 'b');
  });

  it('a label too long for its space is cut, not spilled', () => {
    const cell = new ProgressCell();
    cell.beginIteration('x'.repeat(10_000));
    assert.equal(cell.snapshot().label.length, 512);
  });
});
