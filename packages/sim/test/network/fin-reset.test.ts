// Closing a connection: a graceful close (FIN) delivers everything written before it, an abort
// (reset) reaches the peer after one latency and discards what is still in flight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes, patternBytes, text } from '../support/bytes.js';
import {
  B,
  dial,
  inRange,
  measurable,
  net,
  pair,
  PORT,
  readExactly,
  readToEnd,
  rejectsIo,
} from '../support/network-fault-helpers.js';

describe('network faults: FIN vs reset', () => {
  it('graceful close: the peer reads every byte, then null (FIN after in-flight data)', async () => {
    await net({ config: measurable() }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const data = patternBytes(30_000, 4);
      for (let i = 0; i < 30; i++) await client.writeAll(data.subarray(i * 1000, (i + 1) * 1000));
      await client.close(); // in the same instant as the last writes: the FIN is queued behind them
      assert.deepEqual(await readToEnd(server), data);
      assert.equal(await server.read(), null);
    });
  });

  it('abort: the peer gets ECONNRESET after one latency', async () => {
    await net({ config: measurable() }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const read = server.read();
      const abortedAt = h.nowMs();
      client.abort();
      await rejectsIo(read, 'ECONNRESET');
      // The reset travels with the write latency (1–2 ms).
      inRange(h.nowMs() - abortedAt, 1, 2, 'reset latency (ms)');
      await rejectsIo(server.write(bytes('x')), 'ECONNRESET');
    });
  });

  it('abort discards in-flight data, and delivered but unread data once the reset arrives', async () => {
    await net({ config: measurable() }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      await client.writeAll(bytes('delivered'));
      await a.time.sleep(10);
      await client.writeAll(bytes('in flight')); // would arrive 1.5–3 ms later
      client.abort();
      // Until the reset arrives the peer still reads what it already had.
      assert.equal(text(await readExactly(server, 4)), 'deli');
      await b.time.sleep(10);
      await rejectsIo(server.read(), 'ECONNRESET');
    });
  });

  it('a reset races nothing: data written before close() arrives, data after abort() does not', async () => {
    await net({ config: measurable() }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      const [c1, s1] = await dial(a, listener);
      await c1.writeAll(bytes('fin'));
      await c1.close();
      const [c2, s2] = await dial(a, listener);
      await c2.writeAll(bytes('rst'));
      c2.abort();
      assert.equal(text(await readToEnd(s1)), 'fin');
      await rejectsIo(s2.read(), 'ECONNRESET');
    });
  });
});
