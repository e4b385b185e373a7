// A peer crash from a fault injector: the workload's connection to the process becomes half-open.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrival, events, near, P1, type Ping, pingRun, W } from '../support/fault-injector-helpers.js';

describe('fault injectors: simulatePeerCrash', () => {
  it('the process vanishes from its connections: the workload\'s writes go into the void, then ECONNRESET later', async () => {
    let stillAlive: boolean | null = null;
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.simulatePeerCrash(P1, 1000);
        stillAlive = f.isAlive(P1);
      },
      { chaosMs: 5000, runMs: 3000 },
    );
    assert.equal(stillAlive, true, 'a half-open connection is not a process crash');
    const last = o.pings[o.pings.length - 1] as Ping;
    assert.ok(last.sentAt >= 200 && last.sentAt < 220, `last ping sent at ${last.sentAt}`);
    assert.equal(last.error, 'ECONNRESET');
    assert.ok(near(last.backAt, 1200), `error at ${last.backAt}`);
    assert.equal(arrival(o, last), undefined, 'the write vanished');
    assert.ok(o.pings.slice(0, -1).every((p) => p.error === undefined && p.sentAt < 200));
    assert.deepEqual(events(o.faults), [
      [200, { type: 'PeerCrash', ip: P1 }],
      [1200, { type: 'HalfOpenError', connection: 0, ip: W }], // the only connection: id 0
    ]);
  });
});
