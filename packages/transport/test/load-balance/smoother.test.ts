// Smoother, QueueModel and ModelHolder on a hand-driven clock: the exact numbers of the moving
// average, the model's keys, and a request released exactly once on every path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Endpoint, NetworkAddress, type TimeProvider, UID } from '@moonpool/core';
import { DEFAULT_E_FOLDING_MS, ModelHolder, QueueModel, Smoother } from '../../src/index.js';

function clock(start = 0): TimeProvider & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    timer: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: () => Promise.reject(new Error('not used')),
    timeout: () => Promise.reject(new Error('not used')),
  };
}

/** Equal to 1e-12: the values below are computed by hand, not by the formula under test. */
function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);
}

const E_1 = 0.36787944117144233; // e^-1
const E_HALF = 0.6065306597126334; // e^-0.5

const at = (ip: string, first: bigint, second = 1n): Endpoint =>
  new Endpoint(new NetworkAddress(ip, 4500), new UID(first, second));

describe('Smoother', () => {
  it('closes 1 - 1/e of the gap per e-folding time (1 s by default), on the clock it is given', () => {
    const time = clock(5000);
    const s = new Smoother(time);
    assert.equal(s.eFoldingMs, DEFAULT_E_FOLDING_MS);
    assert.equal(DEFAULT_E_FOLDING_MS, 1000);
    s.addDelta(1);
    // A step is not seen at its own instant: the estimate is continuous.
    assert.equal(s.smoothTotal(), 0);
    assert.equal(s.total, 1);
    time.advance(1000);
    near(s.smoothTotal(), 1 - E_1); // 0.6321205588285577
    time.advance(500);
    near(s.smoothTotal(), 1 - E_1 * E_HALF); // 1 - e^-1.5
    // Reading in between does not change the curve: one read at 1.5 s gives the same.
    const once = new Smoother(clock(0));
    once.addDelta(1, 0);
    near(once.smoothTotal(1500), 1 - E_1 * E_HALF);
  });

  it('follows a step back down: after a request of 1 s, it decays by e every second', () => {
    const time = clock();
    const s = new Smoother(time);
    s.addDelta(1);
    time.advance(1000);
    s.addDelta(-1);
    near(s.smoothTotal(), 1 - E_1);
    time.advance(1000);
    near(s.smoothTotal(), (1 - E_1) * E_1);
    time.advance(2000);
    near(s.smoothTotal(), (1 - E_1) * E_1 * E_1 * E_1);
    assert.equal(s.total, 0);
  });

  it('takes another e-folding time, a starting value, setTotal, and ignores a clock read from the past', () => {
    const time = clock();
    const s = new Smoother(time, 500, 4);
    assert.equal(s.smoothTotal(), 4);
    s.setTotal(2);
    time.advance(500);
    near(s.smoothTotal(), 2 + 2 * E_1);
    s.addDelta(10, time.now() - 300); // stale: the estimate stays where it was
    near(s.smoothTotal(), 2 + 2 * E_1);
    assert.equal(s.total, 12);
  });

  it('refuses an e-folding time that is not a number of ms > 0, and a starting value that is not finite', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1000']) {
      assert.throws(() => new Smoother(clock(), bad as number), /eFoldingMs must be a number of ms > 0/);
    }
    assert.throws(() => new Smoother(clock(), 1000, Number.NaN), /initial value must be a finite number/);
    assert.throws(() => new QueueModel(clock(), { eFoldingMs: 0 }), /eFoldingMs must be a number of ms > 0, got 0/);
  });
});

describe('QueueModel', () => {
  it('counts a server never used as zero, without making an entry for it', () => {
    const model = new QueueModel(clock());
    const a = at('10.0.0.2', 0xabcn);
    assert.equal(model.smoothedOutstanding(a), 0);
    assert.equal(model.outstanding(a), 0);
    assert.equal(model.lastLatency(a), undefined);
    assert.equal(model.size, 0);
  });

  it('smooths the requests out per server, and keeps the latency of the last that succeeded', () => {
    const time = clock(100);
    const model = new QueueModel(time);
    const a = at('10.0.0.2', 0xabcn);
    const b = at('10.0.0.3', 0xabcn);
    const first = new ModelHolder(model, a);
    const second = new ModelHolder(model, a);
    assert.equal(model.outstanding(a), 2);
    assert.equal(model.smoothedOutstanding(a), 0);
    time.advance(1000);
    near(model.smoothedOutstanding(a), 2 * (1 - E_1));
    assert.equal(model.smoothedOutstanding(b), 0, 'another replica of the same service is another server');
    first.complete();
    assert.equal(model.lastLatency(a), 1000);
    time.advance(500);
    second.release(); // failed: no latency
    assert.equal(model.lastLatency(a), 1000);
    assert.equal(model.outstanding(a), 0);
    // 2 out for 1 s, then 1 out for 0.5 s: 1 + (2(1 - 1/e) - 1) e^-0.5.
    near(model.smoothedOutstanding(a), 1 + (2 * (1 - E_1) - 1) * E_HALF);
  });

  it('keys by address and the token\'s high half: one server\'s methods share an entry, replicas do not', () => {
    const model = new QueueModel(clock());
    const get = at('10.0.0.2', 0xca1cn, 1n);
    const put = at('10.0.0.2', 0xca1cn, 2n); // the same service's other method, same server
    const replica = at('10.0.0.3', 0xca1cn, 1n);
    const otherService = at('10.0.0.2', 0xbeefn, 1n);
    const holder = new ModelHolder(model, get);
    assert.equal(model.outstanding(put), 1);
    assert.equal(model.outstanding(replica), 0);
    assert.equal(model.outstanding(otherService), 0);
    // An equal endpoint made elsewhere finds the same entry.
    assert.equal(model.outstanding(at('10.0.0.2', 0xca1cn, 7n)), 1);
    holder.release();
    assert.equal(model.size, 1);
  });
});

describe('ModelHolder', () => {
  it('releases exactly once, whatever is called after: complete, release, dispose', () => {
    const time = clock();
    const model = new QueueModel(time);
    const a = at('10.0.0.2', 1n);
    const holder = new ModelHolder(model, a);
    assert.equal(holder.held, true);
    time.advance(30);
    holder.complete();
    holder.complete();
    holder.release();
    holder[Symbol.dispose]();
    assert.equal(holder.held, false);
    assert.equal(model.outstanding(a), 0);
    assert.equal(model.lastLatency(a), 30, 'the first end counts');
  });

  it('with `using`, is released when its block ends, also by a throw', () => {
    const model = new QueueModel(clock());
    const a = at('10.0.0.2', 1n);
    const inside: number[] = [];
    assert.throws(() => {
      using holder = new ModelHolder(model, a);
      inside.push(model.outstanding(a));
      void holder;
      throw new Error('boom');
    }, /boom/);
    {
      using _held = new ModelHolder(model, a);
      inside.push(model.outstanding(a));
    }
    assert.deepEqual(inside, [1, 1]);
    assert.equal(model.outstanding(a), 0);
    assert.equal(model.lastLatency(a), undefined, 'a release records no latency');
  });
});
