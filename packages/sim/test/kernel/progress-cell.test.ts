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
    writer.machineAdded(0, '10.0.0.1', 'server');
    writer.machineAdded(1, '10.0.0.2', 'client');
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

  it('a timeline written as numbers reads as the seed or the recipe that runs it again', () => {
    const cell = new ProgressCell();
    cell.beginTimeline('maze', 18446744073709551615n, []);
    assert.equal(cell.snapshot().label, 'maze\tseed\t18446744073709551615');
    const first = cell.snapshot().iteration;
    cell.endIteration();
    cell.beginTimeline('maze', 7n, [
      { count: 501, seed: 2893130380423597529n },
      { count: 2, seed: 0n },
    ]);
    const s = cell.snapshot();
    assert.equal(s.label, 'maze\trecipe\t7:501@2893130380423597529 -> 2@0');
    assert.equal(s.running, true);
    assert.ok(s.iteration !== first);
    cell.beginTimeline('other', 1n, []);
    assert.equal(cell.snapshot().label, 'other\tseed\t1', 'a new name is written');
    cell.beginIteration('text');
    cell.beginTimeline('other', 2n, []);
    assert.equal(cell.snapshot().label, 'other\tseed\t2', 'the name is written again after a text label');
  });

  it('a recipe too long to hold as numbers is written as text', () => {
    const cell = new ProgressCell();
    const recipe = Array.from({ length: 300 }, (_, i) => ({ count: i + 1, seed: BigInt(i) }));
    cell.beginTimeline('s', 3n, recipe);
    assert.ok(cell.snapshot().label.startsWith('s\trecipe\t3:1@0 -> 2@1 -> '));
  });

  it('machines are named right when an iteration builds other machines than the last', () => {
    const cell = new ProgressCell();
    const machines = (list: [string, string][]): void => {
      cell.beginTimeline('s', 1n, []);
      list.forEach(([ip, name], i) => cell.machineAdded(i, ip, name));
    };
    const named = (index: number): string | null => {
      cell.event(1, 1, index);
      return cell.snapshot().lastMachine;
    };
    machines([['10.0.0.1', 'a'], ['10.0.0.2', 'b']]);
    machines([['10.0.0.1', 'a'], ['10.0.0.2', 'b']]);
    assert.equal(named(1), '10.0.0.2 (b)');
    machines([['10.0.0.1', 'longer name'], ['10.0.0.2', 'b']]);
    assert.equal(named(0), '10.0.0.1 (longer name)');
    assert.equal(named(1), '10.0.0.2 (b)');
    machines([['10.0.0.1', 'a']]);
    assert.equal(named(0), '10.0.0.1 (a)');
    assert.equal(named(1), 'machine 1', 'a machine of an earlier iteration is not named');
    machines([['10.0.0.1', 'a'], ['10.0.0.2', 'c']]);
    assert.equal(named(1), '10.0.0.2 (c)');
  });
});
