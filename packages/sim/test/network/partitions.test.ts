// Partitions set by hand: between two machines, one-directional, of one connection (cut), swizzled;
// data waits for the heal, connects retry across them, and each shows in the fault events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimStream } from '../../src/network/connection.js';
import { bytes, text } from '../support/bytes.js';
import {
  A,
  B,
  C,
  connId,
  dial,
  inRange,
  measurable,
  net,
  outcome,
  type Pair,
  pair,
  PORT,
  readExactly,
  rejectsIo,
  us,
} from '../support/network-fault-helpers.js';

describe('network faults: partitions', () => {
  it('partitionPair blocks data both ways until healed, other paths flow; events and isPartitioned', async () => {
    const h = await net({ config: measurable() }, async (h, a, b, c) => {
      const ab = await pair(a, b);
      const ac = await pair(a, c);
      const t0 = h.nowMs();
      h.net.partitionPair(A, B, 500);
      assert.ok(h.net.isPartitioned(A, B) && h.net.isPartitioned(B, A));
      assert.ok(!h.net.isPartitioned(A, C));
      await ab.client.writeAll(bytes('a->b'));
      await ab.server.writeAll(bytes('b->a'));
      await ac.client.writeAll(bytes('a->c'));
      const arrivals = await Promise.all([
        readExactly(ab.server, 4).then(() => h.nowMs() - t0),
        readExactly(ab.client, 4).then(() => h.nowMs() - t0),
        readExactly(ac.server, 4).then(() => h.nowMs() - t0),
      ]);
      inRange(arrivals[0] as number, 500, 500.001, 'a->b arrival (ms)');
      inRange(arrivals[1] as number, 500, 500.001, 'b->a arrival (ms)');
      assert.ok((arrivals[2] as number) < 5, 'a->c is not partitioned');
      assert.ok(!h.net.isPartitioned(A, B) && !h.net.isPartitioned(B, A));
    });
    const created = h.faultsOf('PartitionCreated');
    const healed = h.faultsOf('PartitionHealed');
    assert.equal(created.length, 1);
    const start = created[0]?.timeMs ?? Number.NaN;
    assert.deepEqual(created[0]?.event, { type: 'PartitionCreated', from: A, to: B, untilMs: us(start + 500) });
    assert.equal(healed.length, 1);
    assert.deepEqual(healed[0]?.event, { type: 'PartitionHealed', from: A, to: B });
    assert.equal(healed[0]?.timeMs, us(start + 500));
  });

  it('a permanent partition holds data until healAll, not before', async () => {
    const h = await net({ config: measurable() }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      h.net.partitionPair(A, B);
      await client.writeAll(bytes('held'));
      const read = server.read();
      assert.equal(await outcome(b, 5000, read), 'timeout');
      const healedAt = h.nowMs();
      h.net.healAll();
      assert.equal(text((await read) ?? new Uint8Array()), 'held');
      assert.ok(h.nowMs() - healedAt < 1);
    });
    assert.equal(h.faultsOf('PartitionCreated')[0]?.event.untilMs, null);
  });

  it('partitionSendFrom and partitionRecvTo are one-directional', async () => {
    for (const kind of ['send', 'recv'] as const) {
      const h = await net({ config: measurable() }, async (h, a, b) => {
        const { client, server } = await pair(a, b);
        const t0 = h.nowMs();
        if (kind === 'send') h.net.partitionSendFrom(A, 300);
        else h.net.partitionRecvTo(B, 300);
        assert.ok(h.net.isPartitioned(A, B) && !h.net.isPartitioned(B, A));
        await client.writeAll(bytes('ab'));
        await server.writeAll(bytes('ba'));
        await readExactly(client, 2);
        assert.ok(h.nowMs() - t0 < 5, `${kind}: b->a should flow`);
        await readExactly(server, 2);
        inRange(h.nowMs() - t0, 300, 300.001, `${kind}: a->b arrival (ms)`);
      });
      const type = kind === 'send' ? 'SendPartitionCreated' : 'RecvPartitionCreated';
      const ip = kind === 'send' ? A : B;
      assert.deepEqual(
        h.faults.map((f) => f.event),
        [
          { type, ip, untilMs: us((h.faults[0]?.timeMs ?? Number.NaN) + 300) },
          kind === 'send'
            ? { type: 'PartitionHealed', from: A, to: '*' }
            : { type: 'PartitionHealed', from: '*', to: B },
        ],
      );
    }
  });

  it('connect across a partition waits (SYN retries) and succeeds after the heal', async () => {
    await net({ config: measurable() }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      h.net.partitionPair(A, B, 2500);
      const t0 = h.nowMs();
      const [client] = await dial(a, listener);
      // Retried every second: the first attempt after the heal at 2.5 s succeeds.
      inRange(h.nowMs() - t0, 2500, 3500 + 11, 'connect across a 2.5 s partition (ms)');
      await client.close();
    });
  });

  it('connect across a permanent partition rejects ETIMEDOUT after 127 s', async () => {
    await net({ config: measurable() }, async (h, a, b) => {
      await b.network.bind(`${B}:${PORT}`);
      h.net.partitionPair(A, B);
      const t0 = h.nowMs();
      await rejectsIo(a.network.connect(`${B}:${PORT}`), 'ETIMEDOUT');
      inRange(h.nowMs() - t0, 127_000, 128_100, 'SYN timeout (ms)');
    });
  });

  it('cutConnection holds one connection (both ways) for the cut; others flow; ConnectionCut/CutRestored', async () => {
    let id = -1;
    let start = Number.NaN;
    const h = await net({ config: measurable() }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      const [c1, s1] = await dial(a, listener);
      const [c2, s2] = await dial(a, listener);
      id = connId(c1);
      start = h.nowMs();
      h.net.cutConnection(c1 as SimStream, 200);
      await c1.writeAll(bytes('cut'));
      await s1.writeAll(bytes('tuc'));
      await c2.writeAll(bytes('ok'));
      await readExactly(s2, 2);
      assert.ok(h.nowMs() - start < 5, 'another connection between the same machines flows');
      const arrivals = await Promise.all(
        [readExactly(s1, 3), readExactly(c1, 3)].map((p) => p.then(() => h.nowMs() - start)),
      );
      for (const t of arrivals) inRange(t, 200, 200.001, 'cut connection delivers at the restore (ms)');
    });
    assert.deepEqual(
      h.faults.map((f) => [f.event, us(f.timeMs - start)]),
      [
        [{ type: 'ConnectionCut', connection: id, untilMs: us(start + 200) }, 0],
        [{ type: 'CutRestored', connection: id }, 200],
      ],
    );
  });

  it('swizzle restores the cut connections in reverse order of cutting', async () => {
    await net({ config: measurable() }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      const conns = [await dial(a, listener), await dial(a, listener), await dial(a, listener)];
      const start = h.nowMs();
      h.net.swizzle(conns.map(([c]) => c as SimStream), 300);
      const order: number[] = [];
      const arrivals = await Promise.all(
        conns.map(async ([c, s], i) => {
          await c.writeAll(bytes(`c${i}`));
          await readExactly(s, 2);
          order.push(i);
          return us(h.nowMs() - start);
        }),
      );
      assert.deepEqual(order, [2, 1, 0]);
      assert.deepEqual(arrivals, [500, 400, 300]);
    });
  });

  it('swizzleMachines cuts machines off and restores them in reverse order', async () => {
    const h = await net({ config: measurable() }, async (h, a, b, c) => {
      const fromA = await pair(a, c, PORT);
      const fromB = await pair(b, c, PORT + 1);
      const start = h.nowMs();
      h.net.swizzleMachines([A, B], 300);
      const order: string[] = [];
      const send = async (p: Pair, who: string): Promise<void> => {
        await p.client.writeAll(bytes('x'));
        await readExactly(p.server, 1);
        order.push(who);
      };
      await Promise.all([send(fromA, A), send(fromB, B)]);
      assert.deepEqual(order, [B, A]);
      assert.ok(h.nowMs() - start >= 450, `A came back after ${h.nowMs() - start} ms`);
    });
    assert.equal(h.faultsOf('SendPartitionCreated').length, 2);
    assert.equal(h.faultsOf('RecvPartitionCreated').length, 2);
    assert.equal(h.faultsOf('PartitionHealed').length, 4);
  });

  it('two partitions healing at the same instant each report PartitionHealed', async () => {
    const h = await net({ config: measurable() }, async (h) => {
      h.net.partitionPair(A, B, 500);
      h.net.partitionPair(A, C, 500);
      await h.machine('10.0.1.9').time.sleep(600);
    });
    assert.equal(h.faultsOf('PartitionCreated').length, 2);
    assert.equal(h.faultsOf('PartitionHealed').length, 2);
  });
});
