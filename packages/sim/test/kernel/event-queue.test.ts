import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventQueue, type SimEvent } from '../../src/kernel/event-queue.js';
import { SimRng } from '../../src/kernel/rng.js';

interface TestEvent extends SimEvent {
  readonly id: number;
}

function event(time: number, seq: number, id = seq): TestEvent {
  return { time, seq, kind: 1, cancelled: false, id };
}

function byTimeThenSeq(a: TestEvent, b: TestEvent): number {
  return a.time - b.time || a.seq - b.seq;
}

function drain(q: EventQueue<TestEvent>): TestEvent[] {
  const out: TestEvent[] = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
  return out;
}

describe('EventQueue', () => {
  it('is empty at first', () => {
    const q = new EventQueue<TestEvent>();
    assert.equal(q.size, 0);
    assert.equal(q.peek(), undefined);
    assert.equal(q.pop(), undefined);
  });

  it('pops in (time, seq) order for random inputs, like a sorted reference', () => {
    const rng = new SimRng(1);
    for (let round = 0; round < 50; round++) {
      const q = new EventQueue<TestEvent>();
      const n = rng.range(1, 400);
      // Few distinct times, so many ties resolved by seq; seqs pushed in shuffled order.
      const timeSpan = rng.range(1, 20);
      const seqs = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.range(0, i + 1);
        [seqs[i], seqs[j]] = [seqs[j] as number, seqs[i] as number];
      }
      const events = seqs.map((seq) => event(rng.range(0, timeSpan) * 1000, seq));
      for (const e of events) q.push(e);
      assert.equal(q.size, n);
      const reference = [...events].sort(byTimeThenSeq);
      assert.equal(q.peek(), reference[0]);
      assert.deepEqual(
        drain(q).map((e) => e.id),
        reference.map((e) => e.id),
      );
      assert.equal(q.size, 0);
    }
  });

  it('stays ordered when pushes and pops interleave (a simulation schedules while it runs)', () => {
    const rng = new SimRng(2);
    const q = new EventQueue<TestEvent>();
    const reference: TestEvent[] = [];
    let seq = 0;
    let now = 0;
    for (let step = 0; step < 5000; step++) {
      if (reference.length === 0 || rng.bool(0.55)) {
        const e = event(now + rng.range(0, 50), seq++);
        q.push(e);
        reference.push(e);
      } else {
        reference.sort(byTimeThenSeq);
        const expected = reference.shift();
        const peeked = q.peek();
        const got = q.pop();
        assert.equal(peeked, expected);
        assert.equal(got, expected, `step ${step}`);
        if (got) {
          assert.ok(got.time >= now, 'time never goes backwards');
          now = got.time;
        }
      }
      assert.equal(q.size, reference.length);
    }
    reference.sort(byTimeThenSeq);
    assert.deepEqual(drain(q), reference);
  });

  it('orders equal times strictly by seq, and large times correctly', () => {
    const q = new EventQueue<TestEvent>();
    const big = 100 * 365 * 24 * 3600 * 1_000_000; // 100 years of µs ticks
    q.push(event(big, 1));
    q.push(event(5, 9));
    q.push(event(5, 3));
    q.push(event(big, 0));
    q.push(event(0, 100));
    assert.deepEqual(
      drain(q).map((e) => [e.time, e.seq]),
      [
        [0, 100],
        [5, 3],
        [5, 9],
        [big, 0],
        [big, 1],
      ],
    );
  });

  it('clear empties it; items lists every queued event', () => {
    const q = new EventQueue<TestEvent>();
    for (let i = 0; i < 10; i++) q.push(event(10 - i, i));
    assert.deepEqual(
      q
        .items()
        .map((e) => e.seq)
        .sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    q.clear();
    assert.equal(q.size, 0);
    assert.equal(q.pop(), undefined);
  });
});
