// A peer crash leaves half-open connections: the survivor's writes vanish and its reads hang until
// the error arrives (errorAfterMs, 3 s by default).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes } from '../support/bytes.js';
import {
  A,
  B,
  C,
  dial,
  measurable,
  net,
  outcome,
  pair,
  rejectsIo,
  us,
} from '../support/network-fault-helpers.js';

describe('network faults: peer crash (half-open connections)', () => {
  it('the survivor writes into the void, its reads hang, then ECONNRESET and HalfOpenError after errorAfterMs', async () => {
    const h = await net({ config: measurable() }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      await server.writeAll(bytes('in flight when the peer vanishes'));
      const t0 = h.nowMs();
      h.net.simulatePeerCrash(B, 2000);
      const read = client.read();
      assert.equal(await outcome(a, 1500, read), 'timeout', 'in-flight data is gone and the read hangs');
      assert.equal(await client.write(bytes('into the void')), 13);
      await client.writeAll(bytes('more'));
      await rejectsIo(read, 'ECONNRESET');
      assert.equal(us(h.nowMs() - t0), 2000);
      await rejectsIo(client.write(bytes('x')), 'ECONNRESET');
      // The vanished side hears nothing either.
      assert.equal(await outcome(b, 1000, server.read()), 'timeout');
    });
    assert.deepEqual(
      h.faults.map((f) => [f.event.type, us(f.timeMs - (h.faults[0]?.timeMs ?? Number.NaN))]),
      [['PeerCrash', 0], ['HalfOpenError', 2000]],
    );
    assert.deepEqual(h.faults[0]?.event, { type: 'PeerCrash', ip: B });
    assert.equal((h.faults[1]?.event as { ip: string }).ip, A);
  });

  it('errorAfterMs defaults to 3 s and applies to every connection of the crashed machine', async () => {
    const h = await net({ config: measurable() }, async (h, a, b, c) => {
      const ab = await pair(a, b);
      const cb = await dial(c, ab.listener);
      const t0 = h.nowMs();
      h.net.simulatePeerCrash(B);
      const ends = await Promise.all(
        [ab.client, cb[0]].map((s) => s.read().then(() => Number.NaN, () => us(h.nowMs() - t0))),
      );
      assert.deepEqual(ends, [3000, 3000]);
    });
    assert.equal(h.faultsOf('HalfOpenError').length, 2);
    assert.deepEqual(new Set(h.faultsOf('HalfOpenError').map((f) => f.event.ip)), new Set([A, C]));
  });
});
