// Partitions from a fault injector: the ping caught in the window waits for the heal, in the
// directions the partition covers; partitions without a duration last until healAll.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arrival,
  blockedPing,
  events,
  FAST_MS,
  near,
  othersFast,
  P1,
  P2,
  pingRun,
  W,
} from '../support/fault-injector-helpers.js';

describe('fault injectors: partitions', () => {
  it('partitionPair(workload, process, ms): the ping in the window waits for the heal, both ways', async () => {
    let at = 0;
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        at = f.time.now();
        f.partitionPair(W, P1, 300);
      },
      { chaosMs: 2000, runMs: 1000 },
    );
    assert.equal(at, 200);
    const ping = blockedPing(o.pings, 200, 500);
    assert.ok(near(arrival(o, ping), 500), `arrived at ${arrival(o, ping)}`);
    assert.ok(near(ping.backAt, 500), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [200, { type: 'PartitionCreated', from: W, to: P1, untilMs: 500 }],
      [500, { type: 'PartitionHealed', from: W, to: P1 }],
    ]);
  });

  it('partitionSendFrom(process): requests arrive, replies wait for the heal', async () => {
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.partitionSendFrom(P1, 300);
      },
      { chaosMs: 2000, runMs: 1000 },
    );
    const ping = blockedPing(o.pings, 200, 500);
    const arrived = arrival(o, ping);
    assert.ok(arrived !== undefined && arrived - ping.sentAt < FAST_MS, `arrived at ${arrived}`);
    assert.ok(near(ping.backAt, 500), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [200, { type: 'SendPartitionCreated', ip: P1, untilMs: 500 }],
      [500, { type: 'PartitionHealed', from: P1, to: '*' }],
    ]);
  });

  it('partitionRecvTo(process): requests wait for the heal, then the reply comes at once', async () => {
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.partitionRecvTo(P1, 300);
      },
      { chaosMs: 2000, runMs: 1000 },
    );
    const ping = blockedPing(o.pings, 200, 500);
    assert.ok(near(arrival(o, ping), 500), `arrived at ${arrival(o, ping)}`);
    assert.ok(near(ping.backAt, 500), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [200, { type: 'RecvPartitionCreated', ip: P1, untilMs: 500 }],
      [500, { type: 'PartitionHealed', from: '*', to: P1 }],
    ]);
  });

  it('partitions without a duration last until healAll, which heals every rule at once', async () => {
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.partitionPair(W, P1);
        f.partitionSendFrom(P2);
        f.partitionRecvTo(P2);
        await f.time.sleep(400);
        f.healAll();
      },
      { chaosMs: 2000, runMs: 1000, processes: 2 },
    );
    const ping = blockedPing(o.pings, 200, 600);
    assert.ok(near(arrival(o, ping), 600), `arrived at ${arrival(o, ping)}`);
    assert.ok(near(ping.backAt, 600), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [200, { type: 'PartitionCreated', from: W, to: P1, untilMs: null }],
      [200, { type: 'SendPartitionCreated', ip: P2, untilMs: null }],
      [200, { type: 'RecvPartitionCreated', ip: P2, untilMs: null }],
      [600, { type: 'PartitionHealed', from: W, to: P1 }],
      [600, { type: 'PartitionHealed', from: P2, to: '*' }],
      [600, { type: 'PartitionHealed', from: '*', to: P2 }],
    ]);
  });

  it('a partition between two other machines does not touch the workload\'s connection', async () => {
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.partitionPair(P1, P2, 300);
      },
      { chaosMs: 2000, runMs: 1000, processes: 2 },
    );
    assert.ok(o.pings.length > 30);
    assert.ok(o.pings.every((p) => p.backAt !== undefined && p.backAt - p.sentAt < FAST_MS));
    assert.equal(o.faults.length, 2);
  });
});
