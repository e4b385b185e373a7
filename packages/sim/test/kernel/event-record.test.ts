// EventRecord and firstDivergence: two recorded runs of one execution are compared event by event,
// and the first difference is named with its cause.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventKind } from '../../src/kernel/event-kind.js';
import { EventRecord, firstDivergence } from '../../src/kernel/event-record.js';
import { SimWorld } from '../../src/kernel/world.js';

interface Step {
  delayTicks: number;
  kind?: number;
  /** Bytes handled by the event's action (they enter the trace hash). */
  bytes?: number[];
  draws?: number;
}

/** Runs `steps` one event at a time in a fresh world and returns its record. */
function record(steps: Step[], capacity?: number): EventRecord {
  const world = new SimWorld(1n);
  const out = new EventRecord(capacity);
  world.onEvent = (ev) => out.push(ev, world);
  for (const step of steps) {
    world.schedule(step.delayTicks, step.kind ?? EventKind.Timer, null, () => {
      if (step.bytes) world.trace.addBytes(Uint8Array.from(step.bytes));
      for (let i = 0; i < (step.draws ?? 0); i++) world.rng.random();
    }, 'step');
    const ev = world.popLive();
    assert.ok(ev);
    world.fire(ev);
  }
  return out;
}

const base: Step[] = [{ delayTicks: 10 }, { delayTicks: 5, bytes: [1, 2] }, { delayTicks: 7 }, { delayTicks: 1 }];

describe('EventRecord and firstDivergence', () => {
  it('identical runs do not diverge before the end', () => {
    const d = firstDivergence(record(base), record(base));
    assert.equal(d?.cause, 'end', 'compared only when the hashes differ: nothing recorded differs');
    assert.equal(d?.index, 3);
  });

  it('an event at another time is named with both versions', () => {
    const other = base.map((s, i) => (i === 2 ? { ...s, delayTicks: 8000 } : s));
    const d = firstDivergence(record(base), record(other));
    assert.equal(d?.cause, 'event');
    assert.equal(d?.index, 2);
    assert.equal(d?.first?.atMs, 0.022);
    assert.equal(d?.second?.atMs, 8.015);
    assert.equal(d?.first?.kind, 'Timer');
    assert.equal(d?.first?.machine, 'sim');
    assert.equal(d?.first?.label, 'step');
  });

  it('another kind, or draws made before an event, differ as events', () => {
    const kind = base.map((s, i) => (i === 1 ? { ...s, kind: EventKind.NetworkDelivery } : s));
    assert.equal(firstDivergence(record(base), record(kind))?.first?.kind, 'Timer');
    assert.equal(firstDivergence(record(base), record(kind))?.second?.kind, 'NetworkDelivery');
    const drawing = base.map((s, i) => (i === 0 ? { ...s, draws: 2 } : s));
    const d = firstDivergence(record(base), record(drawing));
    assert.equal(d?.index, 1, 'seen at the next event');
    assert.equal(d?.first?.draws, 0);
    assert.equal(d?.second?.draws, 2);
  });

  it('the same events with other bytes are data of the event that handled them', () => {
    const other = base.map((s, i) => (i === 1 ? { ...s, bytes: [1, 3] } : s));
    const d = firstDivergence(record(base), record(other));
    assert.equal(d?.cause, 'data');
    assert.equal(d?.index, 1);
    assert.deepEqual(d?.first, d?.second);
  });

  it('a run with fewer events differs at the first missing one', () => {
    const d = firstDivergence(record(base), record(base.slice(0, 2)));
    assert.equal(d?.cause, 'event');
    assert.equal(d?.index, 2);
    assert.ok(d?.first);
    assert.equal(d?.second, null);
  });

  it('past its capacity a record keeps counting but not recording', () => {
    const other = base.map((s, i) => (i === 3 ? { ...s, delayTicks: 99 } : s));
    const a = record(base, 2);
    assert.equal(a.length, 2);
    assert.equal(a.seen, 4);
    assert.equal(firstDivergence(a, record(other, 2)), null, 'the difference lies beyond what was kept');
  });

  it('grows past its initial size', () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ delayTicks: 1 + (i % 7) }));
    const a = record(many);
    assert.equal(a.length, 3000);
    assert.equal(a.event(2999)?.seq, 2999);
    assert.equal(a.event(3000), null);
  });
});
