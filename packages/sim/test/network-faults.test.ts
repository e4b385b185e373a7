// Tests that the network faults bite (SPEC §4.5, §4.8): each fault happens at its configured rate
// (statistically, with tolerant bounds over many operations), never when disabled, and has its
// documented effect. Precise timing checks use the bare network harness; lifecycle checks (process
// crash, chaos phase end, clock drift, determinism) go through the SimulationBuilder.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IoError, type Listener, type Stream, TimeoutError } from '@moonpool/core';
import { ChaosConfiguration } from '../src/config/chaos-configuration.js';
import { durationRange } from '../src/config/duration-range.js';
import { NetworkConfiguration } from '../src/config/network-configuration.js';
import { markStable } from '../src/network/sim-network-provider.js';
import type { SimStream } from '../src/network/connection.js';
import { SimulationBuilder } from '../src/builder/builder.js';
import type { SimContext } from '../src/engine/context.js';
import { WorkloadCount } from '../src/engine/counts.js';
import { FAULT_LOG } from '../src/chaos/fault-events.js';
import {
  concat,
  hammingDistance,
  type NetHarness,
  type NetHarnessOptions,
  type NetMachine,
  patternBytes,
  quietNetwork,
  runNet,
} from './support/network-harness.js';

const A = '10.0.1.1';
const B = '10.0.1.2';
const C = '10.0.1.3';
const PORT = 4000;

// --- helpers ---------------------------------------------------------------------------------------

interface Pair {
  client: Stream;
  server: Stream;
  listener: Listener;
}

/** Binds `server:PORT` and opens one connection from `client` to it. */
async function pair(client: NetMachine, server: NetMachine, port = PORT): Promise<Pair> {
  const listener = await server.network.bind(`${server.ip}:${port}`);
  const [c, [s]] = await Promise.all([client.network.connect(`${server.ip}:${port}`), listener.accept()]);
  return { client: c, server: s, listener };
}

/** One more connection to an existing listener. */
async function dial(client: NetMachine, listener: Listener): Promise<[Stream, Stream]> {
  const [c, [s]] = await Promise.all([client.network.connect(listener.localAddr()), listener.accept()]);
  return [c, s];
}

const connId = (s: Stream): number => (s as SimStream).conn.id;

async function readExactly(stream: Stream, n: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let got = 0;
  while (got < n) {
    const c = await stream.read(n - got);
    assert.ok(c !== null, `end of stream after ${got} of ${n} bytes`);
    chunks.push(c);
    got += c.length;
  }
  return concat(chunks);
}

async function readToEnd(stream: Stream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let c = await stream.read(); c !== null; c = await stream.read()) chunks.push(c);
  return concat(chunks);
}

function ioCode(codes: readonly string[]): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof IoError, `expected IoError ${codes.join('/')}, got ${String(err)}`);
    assert.ok(codes.includes(err.code), `expected ${codes.join('/')}, got ${err.code}`);
    return true;
  };
}

async function rejectsIo(p: Promise<unknown>, ...codes: string[]): Promise<void> {
  await assert.rejects(p, ioCode(codes));
}

/** How a promise ends within `ms` of `m`'s time: its value, an IoError code, or `timeout`. */
async function outcome<T>(m: NetMachine, ms: number, p: Promise<T>): Promise<'ok' | 'timeout' | string> {
  try {
    await m.time.timeout(ms, p);
    return 'ok';
  } catch (err) {
    if (err instanceof TimeoutError) return 'timeout';
    if (err instanceof IoError) return err.code;
    throw err;
  }
}

/** Milliseconds rounded to the tick (1 µs), so differences of simulated times compare exactly. */
const us = (ms: number): number => Math.round(ms * 1000) / 1000;

function inRange(value: number, lo: number, hi: number, what: string): void {
  assert.ok(value >= lo && value <= hi, `${what}: ${value} not in [${lo}, ${hi}]`);
}

/** A harness with machines A, B (and C), running `main`. */
async function net(
  options: NetHarnessOptions,
  main: (h: NetHarness, a: NetMachine, b: NetMachine, c: NetMachine) => Promise<void>,
): Promise<NetHarness> {
  return runNet(options, (h) => main(h, h.machine(A), h.machine(B), h.machine(C)));
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Latencies slow enough to observe (write 1–2 ms, read 0.5–1 ms), chaos as given. */
function measurable(chaos: Partial<ChaosConfiguration> = {}): NetworkConfiguration {
  return quietNetwork(chaos, { writeLatency: durationRange(1, 2), readLatency: durationRange(0.5, 1) });
}

// --- FIN vs reset ------------------------------------------------------------------------------

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

// --- partial writes ----------------------------------------------------------------------------

describe('network faults: partial writes (network.partial_write, partialWriteMaxBytes)', () => {
  it('short writes return at most partialWriteMaxBytes and exactly that prefix is delivered', async () => {
    const h = await net({ config: measurable({ partialWriteMaxBytes: 100 }), buggify: 'always' }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const sent: Uint8Array[] = [];
      let short = 0;
      for (let i = 0; i < 200; i++) {
        const data = patternBytes(1000, i + 1);
        const n = await client.write(data);
        inRange(n, 0, 100, 'short write length');
        if (n < data.length) short++;
        sent.push(data.subarray(0, n));
      }
      assert.equal(short, 200, 'every buggified write of 1000 bytes is cut to <= 100');
      await client.close();
      assert.deepEqual(await readToEnd(server), concat(sent));
    });
    assert.ok(h.buggifyCalls.includes('network.partial_write'));
  });

  it('short writes happen at the buggify firing rate (25 %)', async () => {
    await net(
      { config: measurable({ partialWriteMaxBytes: 50 }), buggify: { activation: 1, firing: 0.25 } },
      async (h, a, b) => {
        const { client } = await pair(a, b);
        let short = 0;
        const n = 800;
        for (let i = 0; i < n; i++) if ((await client.write(new Uint8Array(200))) < 200) short++;
        inRange(short / n, 0.18, 0.32, 'short-write rate');
      },
    );
  });

  it('writeAll never loses, duplicates or reorders bytes under partial writes', async () => {
    await net({ config: measurable({ partialWriteMaxBytes: 300 }), buggify: 'always' }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const parts = [patternBytes(150_000, 7), patternBytes(1, 8), patternBytes(4000, 9), patternBytes(70_001, 10)];
      const received = readToEnd(server);
      for (const p of parts) await client.writeAll(p);
      await client.close();
      const got = await received;
      assert.equal(got.length, 224_002);
      assert.deepEqual(got, concat(parts));
    });
  });

  it('partialWriteMaxBytes 0 never shortens a write (and buggify is not even asked)', async () => {
    const h = await net({ config: measurable({ partialWriteMaxBytes: 0 }), buggify: 'always' }, async (h, a, b) => {
      const { client } = await pair(a, b);
      for (let i = 0; i < 300; i++) assert.equal(await client.write(new Uint8Array(5000)), 5000);
    });
    assert.ok(!h.buggifyCalls.includes('network.partial_write'));
  });

  it('no short writes once chaos has ended, even with the site firing', async () => {
    await net({ config: measurable({ partialWriteMaxBytes: 100 }), buggify: 'always' }, async (h, a, b) => {
      const { client } = await pair(a, b);
      h.net.endChaos();
      for (let i = 0; i < 100; i++) assert.equal(await client.write(new Uint8Array(1000)), 1000);
    });
  });
});

// --- bit flips ---------------------------------------------------------------------------------

/** Sends `count` chunks of `size` bytes, one per delivery, and returns sent and received chunks. */
async function flipRun(
  h: NetHarness,
  a: NetMachine,
  b: NetMachine,
  count: number,
  size: number,
): Promise<{ sent: Uint8Array[]; got: Uint8Array[]; conn: number }> {
  const { client, server } = await pair(a, b);
  const sent: Uint8Array[] = [];
  const got: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const data = patternBytes(size, i + 100);
    sent.push(data.slice());
    await client.writeAll(data);
    got.push(await readExactly(server, size));
    assert.deepEqual(data, sent[i], 'the sender\'s buffer is never modified');
  }
  return { sent, got, conn: connId(client) };
}

describe('network faults: bit flips', () => {
  it('with probability 1 every delivery is corrupted by min..max flipped bits, each a BitFlip event', async () => {
    const h = await net(
      { config: measurable({ bitFlipProbability: 1, bitFlipMinBits: 2, bitFlipMaxBits: 6 }) },
      async (h, a, b) => {
        const { sent, got, conn } = await flipRun(h, a, b, 60, 8192);
        const flips = h.faultsOf('BitFlip');
        assert.equal(flips.length, 60);
        for (let i = 0; i < sent.length; i++) {
          const ev = (flips[i] as (typeof flips)[number]).event;
          assert.equal(ev.connection, conn);
          assert.equal(ev.to, B);
          inRange(ev.bits, 2, 6, 'BitFlip.bits');
          assert.notDeepEqual(got[i], sent[i]);
          assert.equal(hammingDistance(got[i] as Uint8Array, sent[i] as Uint8Array), ev.bits, `chunk ${i}`);
        }
      },
    );
    assert.ok(h.faults.every((f) => f.event.type === 'BitFlip'));
  });

  it('the number of bits follows a power law: few bits are the common case', async () => {
    const h = await net(
      { config: measurable({ bitFlipProbability: 1, bitFlipMinBits: 1, bitFlipMaxBits: 32 }) },
      async (h, a, b) => {
        await flipRun(h, a, b, 1000, 16);
      },
    );
    const bits = h.faultsOf('BitFlip').map((f) => f.event.bits);
    assert.equal(bits.length, 1000);
    assert.ok(bits.every((n) => n >= 1 && n <= 32));
    const share = (pred: (n: number) => boolean) => bits.filter(pred).length / bits.length;
    // Uniform in log space: P(1) = log 2 / log 32 = 0.2, P(<= 5) = log 6 / log 32 ~ 0.52.
    inRange(share((n) => n === 1), 0.14, 0.26, 'share of 1-bit flips');
    inRange(share((n) => n <= 5), 0.44, 0.6, 'share of <= 5-bit flips');
    inRange(share((n) => n >= 16), 0.14, 0.26, 'share of >= 16-bit flips');
  });

  it('happens at bitFlipProbability (30 %) of deliveries', async () => {
    const h = await net(
      { config: measurable({ bitFlipProbability: 0.3, bitFlipMinBits: 1, bitFlipMaxBits: 1 }) },
      async (h, a, b) => {
        const { sent, got } = await flipRun(h, a, b, 600, 64);
        const corrupted = got.filter((g, i) => hammingDistance(g, sent[i] as Uint8Array) !== 0).length;
        assert.equal(corrupted, h.faultsOf('BitFlip').length);
        inRange(corrupted / 600, 0.23, 0.37, 'bit flip rate');
      },
    );
    assert.ok(h.faultsOf('BitFlip').length > 0);
  });

  it('bitFlipCooldownMs spaces the flips', async () => {
    let flipped = 0;
    let elapsed = 0;
    const h = await net(
      { config: measurable({ bitFlipProbability: 1, bitFlipMinBits: 1, bitFlipMaxBits: 1, bitFlipCooldownMs: 20 }) },
      async (h, a, b) => {
        const { client, server } = await pair(a, b);
        const t0 = h.nowMs();
        for (let i = 0; i < 100; i++) {
          await client.writeAll(new Uint8Array(32));
          if (hammingDistance(await readExactly(server, 32), new Uint8Array(32)) !== 0) flipped++;
          await a.time.sleep(2);
        }
        elapsed = h.nowMs() - t0;
      },
    );
    const times = h.faultsOf('BitFlip').map((f) => f.timeMs);
    assert.equal(times.length, flipped);
    // One round trip takes 3.5–5 ms: with p = 1 the first delivery after each cooldown flips.
    inRange(times.length, Math.floor(elapsed / 25), Math.ceil(elapsed / 20) + 1, `flips in ${elapsed} ms`);
    for (let i = 1; i < times.length; i++) {
      inRange((times[i] as number) - (times[i - 1] as number), 20, 25, 'spacing of flips (ms)');
    }
  });

  it('probability 0 (and ChaosConfiguration.disabled()) is byte-exact', async () => {
    const configs = [
      measurable({ bitFlipProbability: 0, bitFlipMinBits: 5, bitFlipMaxBits: 9 }),
      NetworkConfiguration.fastLocal(),
    ];
    for (const config of configs) {
      const h = await net({ config }, async (h, a, b) => {
        const { sent, got } = await flipRun(h, a, b, 300, 256);
        assert.deepEqual(got, sent);
      });
      assert.equal(h.faults.length, 0);
    }
  });

  it('the reported bit count is the number of bits that differ, even in small chunks', async () => {
    await net(
      { config: measurable({ bitFlipProbability: 1, bitFlipMinBits: 4, bitFlipMaxBits: 4 }) },
      async (h, a, b) => {
        const { sent, got } = await flipRun(h, a, b, 50, 1);
        const flips = h.faultsOf('BitFlip');
        for (let i = 0; i < sent.length; i++) {
          const reported = (flips[i] as (typeof flips)[number]).event.bits;
          assert.equal(hammingDistance(got[i] as Uint8Array, sent[i] as Uint8Array), reported, `chunk ${i}`);
        }
      },
    );
  });
});

// --- clogging ----------------------------------------------------------------------------------

describe('network faults: clogging', () => {
  it('with probability 1: delivery waits at least clogDuration.minMs, writers wait, data intact', async () => {
    const config = quietNetwork({ clogProbability: 1, clogDuration: durationRange(50, 60) });
    await net({ config }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const t0 = h.nowMs();
      await client.write(bytes('first'));
      assert.ok(h.nowMs() - t0 < 1, 'the write that clogs the pipe itself returns at once');
      const reading = readExactly(server, 5).then((d) => ({ d, at: h.nowMs() }));
      // The next write finds the direction clogged and waits for it to clear (backpressure).
      await client.write(bytes('second'));
      inRange(h.nowMs() - t0, 50, 61, 'second write waited for the clog (ms)');
      const first = await reading;
      assert.equal(text(first.d), 'first');
      inRange(first.at - t0, 50, 61, 'first delivery delayed by the clog (ms)');
      // Many writes: each one clogs again, so they take >= 50 ms apiece; the bytes stay exact.
      const data = patternBytes(10 * 700, 3);
      const received = readExactly(server, 6 + data.length);
      const t1 = h.nowMs();
      for (let i = 0; i < 10; i++) await client.writeAll(data.subarray(i * 700, (i + 1) * 700));
      assert.ok(h.nowMs() - t1 >= 10 * 50 - 60, `10 clogged writes took only ${h.nowMs() - t1} ms`);
      const got = await received;
      assert.equal(text(got.subarray(0, 6)), 'second');
      assert.deepEqual(got.subarray(6), data);
    });
  });

  it('happens at clogProbability (30 %) of writes; never at probability 0', async () => {
    for (const p of [0.3, 0]) {
      const config = quietNetwork({ clogProbability: p, clogDuration: durationRange(20, 30) });
      await net({ config }, async (h, a, b) => {
        const { client, server } = await pair(a, b);
        let clogged = 0;
        const n = 300;
        for (let i = 0; i < n; i++) {
          const t = h.nowMs();
          await client.write(bytes('x'));
          await readExactly(server, 1);
          const delay = h.nowMs() - t;
          if (delay >= 20) clogged++;
          else assert.ok(delay < 1, `an unclogged delivery took ${delay} ms`);
          await a.time.sleep(40); // let any clog clear before the next sample
        }
        if (p === 0) assert.equal(clogged, 0);
        else inRange(clogged / n, 0.2, 0.4, 'clog rate');
      });
    }
  });
});

// --- partitions --------------------------------------------------------------------------------

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

// --- automatic partitions ----------------------------------------------------------------------

const FIVE = [A, B, C, '10.0.1.4', '10.0.1.5'];

interface PartitionEdge {
  from: string;
  to: string;
  untilMs: number | null;
  atMs: number;
}

/** Triggers automatic partitions with writes spaced past each partition, grouped by start time. */
async function autoPartitions(
  strategy: ChaosConfiguration['partitionStrategy'],
  probability: number,
  seed: number,
  spacingMs = 101,
): Promise<{ groups: PartitionEdge[][]; triggers: number; healed: number }> {
  const config = quietNetwork({
    partitionProbability: probability,
    partitionDuration: durationRange(50, 100),
    partitionStrategy: strategy,
  });
  let triggers = 0;
  const h = await runNet({ config, seed }, async (h) => {
    const [a, b] = FIVE.map((ip) => h.machine(ip)) as [NetMachine, NetMachine];
    triggers++; // the connect draws too (it may wait for the partition it started)
    const { client } = await pair(a, b);
    for (let i = 0; i < 60; i++) {
      await a.time.sleep(spacingMs); // by default past any earlier automatic partition
      await client.write(bytes('x'));
      triggers++;
    }
    await a.time.sleep(200);
  });
  const byTime = new Map<number, PartitionEdge[]>();
  for (const { event, timeMs } of h.faultsOf('PartitionCreated')) {
    const edge = { from: event.from, to: event.to, untilMs: event.untilMs, atMs: timeMs };
    byTime.set(timeMs, [...(byTime.get(timeMs) ?? []), edge]);
  }
  return { groups: [...byTime.values()], triggers, healed: h.faultsOf('PartitionHealed').length };
}

describe('network faults: automatic partitions', () => {
  it('Random: one random pair of distinct machines per partition', async () => {
    const { groups, triggers } = await autoPartitions('Random', 1, 3);
    assert.equal(groups.length, triggers);
    const pairs = new Set<string>();
    for (const g of groups) {
      assert.equal(g.length, 1);
      const { from, to } = g[0] as { from: string; to: string };
      assert.ok(FIVE.includes(from) && FIVE.includes(to) && from !== to);
      pairs.add([from, to].sort().join('|'));
    }
    assert.ok(pairs.size >= 5, `only ${pairs.size} distinct pairs`);
  });

  it('IsolateSingle: one machine cut from all the others', async () => {
    const { groups, triggers } = await autoPartitions('IsolateSingle', 1, 4);
    assert.equal(groups.length, triggers);
    const isolated = new Set<string>();
    for (const g of groups) {
      assert.equal(g.length, FIVE.length - 1);
      const froms = new Set(g.map((e) => e.from));
      assert.equal(froms.size, 1);
      const [victim] = froms as Set<string>;
      isolated.add(victim as string);
      assert.deepEqual(new Set(g.map((e) => e.to)), new Set(FIVE.filter((ip) => ip !== victim)));
      assert.equal(new Set(g.map((e) => e.untilMs)).size, 1, 'one partition, one heal time');
    }
    assert.ok(isolated.size >= 3, 'the victim varies');
  });

  it('UniformSize: a group of 1..n-1 machines cut from the rest (complete bipartite cut)', async () => {
    const { groups, triggers } = await autoPartitions('UniformSize', 1, 5);
    assert.equal(groups.length, triggers);
    const sizes = new Set<number>();
    for (const g of groups) {
      const froms = new Set(g.map((e) => e.from));
      const tos = new Set(g.map((e) => e.to));
      assert.ok([...froms].every((ip) => !tos.has(ip)), 'the group and the rest are disjoint');
      assert.deepEqual(new Set([...froms, ...tos]), new Set(FIVE));
      assert.equal(g.length, froms.size * tos.size, 'every group member is cut from every other machine');
      inRange(froms.size, 1, FIVE.length - 1, 'group size');
      sizes.add(froms.size);
    }
    assert.ok(sizes.size >= 3, `group sizes seen: ${[...sizes].join(',')}`);
  });

  it('at most one automatic partition at a time', async () => {
    const { groups, triggers } = await autoPartitions('UniformSize', 1, 8, 10);
    assert.ok(groups.length >= 4 && groups.length < triggers / 4, `${groups.length} partitions for ${triggers} writes`);
    for (let i = 1; i < groups.length; i++) {
      const prev = groups[i - 1]?.[0] as PartitionEdge;
      const next = groups[i]?.[0] as PartitionEdge;
      assert.ok(next.atMs >= (prev.untilMs ?? Number.POSITIVE_INFINITY), 'a partition started while one was active');
      inRange(us((prev.untilMs ?? 0) - prev.atMs), 50, 100, 'partitionDuration (ms)');
    }
  });

  it('happen at partitionProbability (40 %) of operations, never at 0', async () => {
    const some = await autoPartitions('Random', 0.4, 6);
    inRange(some.groups.length / some.triggers, 0.18, 0.62, 'automatic partition rate');
    const none = await autoPartitions('UniformSize', 0, 6);
    assert.equal(none.groups.length, 0);
  });

  it('every automatic PartitionCreated is followed by its PartitionHealed', async () => {
    const { groups, healed } = await autoPartitions('IsolateSingle', 1, 4);
    assert.equal(healed, groups.reduce((n, g) => n + g.length, 0));
  });
});

// --- random close ------------------------------------------------------------------------------

describe('network faults: random close', () => {
  const closing = (ratio: number, cooldownMs = 60_000, p = 1): NetworkConfiguration =>
    measurable({ randomCloseProbability: p, randomCloseExplicitRatio: ratio, randomCloseCooldownMs: cooldownMs });

  it('explicit (ratio 1): the caller gets ECONNRESET, the peer after a latency; a RandomClose event', async () => {
    const h = await net({ config: closing(1) }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const t0 = h.nowMs();
      // The first I/O draws the close; the long cooldown then protects every later operation.
      await rejectsIo(client.write(bytes('doomed')), 'ECONNRESET');
      await rejectsIo(server.read(), 'ECONNRESET');
      inRange(h.nowMs() - t0, 1, 2, 'reset reaches the peer after the write latency (ms)');
      await rejectsIo(client.read(), 'ECONNRESET');
    });
    const closes = h.faultsOf('RandomClose');
    assert.equal(closes.length, 1);
    assert.equal(closes[0]?.event.explicit, true);
    assert.equal(closes[0]?.event.ip, A);
  });

  it('silent (ratio 0): the connection just stops delivering; writes still succeed, reads time out', async () => {
    const h = await net({ config: closing(0) }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      assert.equal(await client.write(bytes('lost')), 4);
      assert.equal(await outcome(b, 2000, server.read()), 'timeout');
      assert.equal(await client.write(bytes('still lost')), 10);
      await client.close();
      assert.equal(await outcome(a, 2000, client.read()), 'timeout');
    });
    assert.deepEqual(h.faultsOf('RandomClose').map((f) => f.event.explicit), [false]);
  });

  it('respects randomCloseCooldownMs: no second close within the cooldown', async () => {
    const h = await net({ config: closing(1, 1000) }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      const [c1] = await dial(a, listener);
      const t0 = h.nowMs();
      await rejectsIo(c1.write(bytes('x')), 'ECONNRESET');
      const [c2, s2] = await dial(a, listener);
      // Within the cooldown every operation works, on any connection.
      while (h.nowMs() - t0 < 980) {
        assert.equal(await c2.write(bytes('y')), 1);
        assert.equal(text(await readExactly(s2, 1)), 'y');
        await a.time.sleep(10);
      }
      await a.time.sleep(Math.max(0, 1000 - (h.nowMs() - t0)));
      await rejectsIo(c2.write(bytes('z')), 'ECONNRESET');
    });
    const times = h.faultsOf('RandomClose').map((f) => f.timeMs);
    assert.equal(times.length, 2);
    assert.ok((times[1] as number) - (times[0] as number) >= 1000);
  });

  it('happens at randomCloseProbability (2 %) per operation, explicit at randomCloseExplicitRatio', async () => {
    let ops = 0;
    let errors = 0;
    const h = await net({ config: closing(1, 0, 0.02) }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      let [client] = await dial(a, listener);
      for (let i = 0; i < 2500; i++) {
        ops++;
        try {
          await client.write(bytes('x'));
        } catch (err) {
          ioCode(['ECONNRESET'])(err);
          errors++;
          [client] = await dial(a, listener);
        }
      }
    });
    assert.equal(h.faultsOf('RandomClose').length, errors);
    inRange(errors / ops, 0.01, 0.03, 'random close rate');
    // The explicit share, with every operation closing.
    const ratio = await net({ config: closing(0.3, 0) }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      for (let i = 0; i < 400; i++) {
        const [client] = await dial(a, listener);
        await client.write(bytes('x')).catch(() => {});
      }
    });
    const explicit = ratio.faultsOf('RandomClose').filter((f) => f.event.explicit).length;
    assert.equal(ratio.faultsOf('RandomClose').length, 400);
    inRange(explicit / 400, 0.22, 0.38, 'explicit share');
  });

  it('never happens at probability 0, nor once chaos has ended', async () => {
    for (const end of [false, true]) {
      const h = await net({ config: end ? closing(1, 0, 1) : closing(1, 0, 0) }, async (h, a, b) => {
        const { client, server } = await pair(a, b);
        if (end) h.net.endChaos();
        for (let i = 0; i < 500; i++) {
          await client.writeAll(bytes('ping'));
          assert.equal(text(await readExactly(server, 4)), 'ping');
        }
      });
      assert.equal(h.faults.length, 0);
    }
  });
});

// --- connect failures --------------------------------------------------------------------------

describe('network faults: connect failures', () => {
  const failing = (mode: ChaosConfiguration['connectFailureMode'], p = 0.5): NetworkConfiguration =>
    quietNetwork({ connectFailureMode: mode, connectFailureProbability: p }, { connectLatency: durationRange(1, 2) });

  /** Outcomes of `n` connects to a live listener on B, each given 5 s. */
  async function connects(h: NetHarness, a: NetMachine, b: NetMachine, n: number): Promise<string[]> {
    const listener = await b.network.bind(`${B}:${PORT}`);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = h.nowMs();
      const conn = a.network.connect(listener.localAddr());
      const result = await outcome(a, 5000, conn);
      if (result === 'ECONNREFUSED') assert.ok(h.nowMs() - t0 >= 1, 'refused after the connect latency');
      if (result === 'ok') {
        const [[s], c] = await Promise.all([listener.accept(), conn]);
        c.abort();
        s.abort();
      }
      out.push(result);
    }
    return out;
  }

  it('AlwaysFail with buggify firing: every connect is refused (the listener is there)', async () => {
    const h = await net({ config: failing('AlwaysFail'), buggify: 'always' }, async (h, a, b) => {
      assert.deepEqual(new Set(await connects(h, a, b, 30)), new Set(['ECONNREFUSED']));
    });
    assert.ok(h.buggifyCalls.includes('network.connect_failure'));
  });

  it('AlwaysFail refuses at the buggify firing rate (25 %)', async () => {
    await net({ config: failing('AlwaysFail'), buggify: { activation: 1, firing: 0.25 } }, async (h, a, b) => {
      const results = await connects(h, a, b, 300);
      const refused = results.filter((r) => r === 'ECONNREFUSED').length;
      assert.equal(refused + results.filter((r) => r === 'ok').length, 300);
      inRange(refused / 300, 0.16, 0.34, 'refusal rate');
    });
  });

  it('Probabilistic: failed connects are either refused or hang (detected by a timeout)', async () => {
    await net({ config: failing('Probabilistic', 0.5), buggify: 'always' }, async (h, a, b) => {
      const results = await connects(h, a, b, 80);
      const refused = results.filter((r) => r === 'ECONNREFUSED').length;
      const hung = results.filter((r) => r === 'timeout').length;
      assert.equal(refused + hung, 80, `unexpected outcomes: ${results.join(',')}`);
      inRange(refused / 80, 0.3, 0.7, 'refused share');
    });
    for (const [p, expected] of [[1, 'ECONNREFUSED'], [0, 'timeout']] as const) {
      await net({ config: failing('Probabilistic', p), buggify: 'always' }, async (h, a, b) => {
        assert.deepEqual(new Set(await connects(h, a, b, 10)), new Set([expected]));
      });
    }
  });

  it('Disabled (and ChaosConfiguration.disabled(), and after chaos ends): connects always succeed', async () => {
    for (const config of [failing('Disabled', 1), NetworkConfiguration.fastLocal()]) {
      const h = await net({ config, buggify: 'always' }, async (h, a, b) => {
        assert.deepEqual(new Set(await connects(h, a, b, 30)), new Set(['ok']));
      });
      assert.ok(!h.buggifyCalls.includes('network.connect_failure'));
    }
    await net({ config: failing('AlwaysFail'), buggify: 'always' }, async (h, a, b) => {
      h.net.endChaos();
      assert.deepEqual(new Set(await connects(h, a, b, 30)), new Set(['ok']));
    });
  });
});

// --- latencies ---------------------------------------------------------------------------------

describe('network faults: latencies', () => {
  /** Connect and accept durations of `n` connections. */
  async function connectTimes(
    config: NetworkConfiguration,
    n: number,
  ): Promise<Array<{ connect: number; accept: number }>> {
    const out: Array<{ connect: number; accept: number }> = [];
    await net({ config }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      for (let i = 0; i < n; i++) {
        const t0 = h.nowMs();
        const accepted = listener.accept().then(([s]) => ({ s, at: h.nowMs() }));
        const c = await a.network.connect(listener.localAddr());
        const connect = h.nowMs() - t0;
        const { s, at } = await accepted;
        out.push({ connect, accept: at - t0 - connect });
        c.abort();
        s.abort();
      }
    });
    return out;
  }

  it('connect completes within connectLatency; the server accepts acceptLatency later', async () => {
    const times = await connectTimes(
      quietNetwork({}, { connectLatency: durationRange(5, 10), acceptLatency: durationRange(2, 3) }),
      100,
    );
    for (const t of times) {
      inRange(t.connect, 5, 10, 'connect (ms)');
      inRange(t.accept, 2, 3, 'accept after connect (ms)');
    }
    assert.ok(Math.max(...times.map((t) => t.connect)) - Math.min(...times.map((t) => t.connect)) > 3, 'latency varies');
  });

  it('handshake delay adds up to handshakeDelayMaxMs', async () => {
    const times = await connectTimes(
      quietNetwork({ handshakeDelayEnabled: true, handshakeDelayMaxMs: 20 }, { connectLatency: durationRange(5, 10) }),
      100,
    );
    for (const t of times) inRange(t.connect, 5, 30, 'connect with handshake (ms)');
    assert.ok(times.filter((t) => t.connect > 10).length > 30, 'the handshake delay shows');
  });

  it('Bimodal with slowLatencyProbability 1 multiplies every latency by slowLatencyMultiplier', async () => {
    const slow = { latencyDistribution: 'Bimodal', slowLatencyProbability: 1, slowLatencyMultiplier: 10 } as const;
    const lat = {
      connectLatency: durationRange(5, 10),
      writeLatency: durationRange(1, 2),
      readLatency: durationRange(0.5, 1),
    };
    for (const t of await connectTimes(quietNetwork(slow, lat), 50)) inRange(t.connect, 50, 100, 'slow connect (ms)');
    // Uniform ignores the slow-latency knobs.
    for (const t of await connectTimes(quietNetwork({ ...slow, latencyDistribution: 'Uniform' }, lat), 50)) {
      inRange(t.connect, 5, 10, 'uniform connect (ms)');
    }
    // Data: write + read latency, each multiplied: [15, 30] ms.
    await net({ config: quietNetwork(slow, lat) }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      for (let i = 0; i < 50; i++) {
        const t0 = h.nowMs();
        await client.writeAll(bytes('d'));
        await readExactly(server, 1);
        inRange(h.nowMs() - t0, 15, 30, 'slow delivery (ms)');
        await a.time.sleep(50);
      }
    });
  });

  it('Bimodal slow operations happen at slowLatencyProbability (30 %)', async () => {
    const times = await connectTimes(
      quietNetwork(
        { latencyDistribution: 'Bimodal', slowLatencyProbability: 0.3, slowLatencyMultiplier: 10 },
        { connectLatency: durationRange(5, 10) },
      ),
      300,
    );
    const slow = times.filter((t) => t.connect >= 50).length;
    assert.equal(slow + times.filter((t) => t.connect <= 10).length, 300);
    inRange(slow / 300, 0.2, 0.4, 'slow share');
  });
});

// --- peer crash / half-open --------------------------------------------------------------------

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

// --- stable connections ------------------------------------------------------------------------

describe('network faults: stable connections (markStable)', () => {
  it('are exempt from bit flips, partial writes, random close, clogs and partitions', async () => {
    const config = measurable({
      bitFlipProbability: 1,
      partialWriteMaxBytes: 10,
      randomCloseProbability: 1,
      randomCloseCooldownMs: 0,
      randomCloseExplicitRatio: 1,
      clogProbability: 1,
      clogDuration: durationRange(100, 200),
      partitionProbability: 1,
      partitionDuration: durationRange(10, 20),
    });
    const h = await net({ config, buggify: 'always' }, async (h, a, b) => {
      const { client, server, listener } = await pair(a, b);
      markStable(client);
      const data = patternBytes(100_000, 21);
      const t0 = h.nowMs();
      const echoed = (async () => {
        const got = await readExactly(server, data.length);
        await server.writeAll(got);
        await server.close();
      })();
      for (let i = 0; i < 100; i++) {
        assert.equal(await client.write(data.subarray(i * 1000, (i + 1) * 1000)), 1000, 'never a short write');
      }
      await client.close();
      assert.deepEqual(await readToEnd(client), data, 'byte-exact both ways');
      await echoed;
      assert.ok(h.nowMs() - t0 < 50, 'never clogged or partitioned');
      // The control: an ordinary connection under the same chaos is broken at once.
      const [other] = await dial(a, listener);
      await rejectsIo(other.writeAll(bytes('x')), 'ECONNRESET');
      markStable(other); // too late: it is already reset
      const stableId = connId(client);
      for (const f of h.faults) {
        assert.notEqual((f.event as { connection?: number }).connection, stableId, `fault on the stable connection: ${f.event.type}`);
      }
    });
    assert.ok(h.faultsOf('RandomClose').length > 0);
  });

  it('markStable is a no-op for streams that are not simulated', () => {
    const fake = { localAddr: 'x', peerAddr: 'y' } as unknown as Stream;
    assert.doesNotThrow(() => markStable(fake));
  });
});

// --- process crash and graceful reboot (through the builder) -----------------------------------

/** Serves `hello` on every connection; on graceful shutdown says `bye` and exits. */
function helloServer(): { name: string; run(ctx: SimContext): Promise<void> } {
  return {
    name: 'hello',
    async run(ctx) {
      const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
      const conns: Stream[] = [];
      const accepting = (async () => {
        for (;;) {
          const [s] = await listener.accept();
          conns.push(s);
          await s.writeAll(bytes('hello'));
        }
      })();
      accepting.catch(() => {});
      await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
      for (const s of conns) await s.writeAll(bytes('bye')).catch(() => {});
    },
  };
}

async function runBuilder(b: SimulationBuilder, seeds: number[] = [1]): Promise<void> {
  const report = await b.setDebugSeeds(seeds).run();
  for (const run of report.runs) assert.ok(run.ok, `seed ${run.seed}: ${run.error ?? ''}`);
}

describe('network faults: process reboots (builder)', () => {
  it('a crash resets the crashed machine\'s connections for the peer; after restart it serves again', async () => {
    let checked = false;
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(measurable())
        .processes(1, helloServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            assert.equal(text(await readExactly(s, 5)), 'hello');
            const pending = s.read();
            const t0 = ctx.time.now();
            ctx.cluster.reboot(ip, 'Crash', { recoveryDelayMs: 100 });
            await rejectsIo(pending, 'ECONNRESET');
            inRange(ctx.time.now() - t0, 1, 2, 'reset latency (ms)');
            await ctx.time.sleep(150);
            const again = await ctx.network.connect(`${ip}:${PORT}`);
            assert.equal(text(await readExactly(again, 5)), 'hello');
            again.abort();
            const faults = ctx
              .eventLog<{ type: string }>(FAULT_LOG)
              .all()
              .map((e) => e.event.type)
              .filter((t) => t.startsWith('Process'));
            assert.deepEqual(faults, ['ProcessForceKill', 'ProcessRestart']);
            checked = true;
          },
        }),
    );
    assert.ok(checked);
  });

  it('a graceful reboot drains: the peer reads the data written at shutdown, then null', async () => {
    let checked = false;
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(measurable())
        .processes(1, helloServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            assert.equal(text(await readExactly(s, 5)), 'hello');
            ctx.cluster.reboot(ip, 'Graceful', { gracePeriodMs: 1000, recoveryDelayMs: 100 });
            assert.equal(text(await readToEnd(s)), 'bye');
            assert.equal(await s.read(), null);
            await s.close();
            checked = true;
          },
        }),
    );
    assert.ok(checked);
  });
});

describe('network faults: after a process stops', () => {
  it('a gracefully stopped process\'s connections are closed, not half-open: the peer\'s writes soon fail', async () => {
    const outcomes: string[] = [];
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(measurable())
        .processes(1, helloServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            assert.equal(text(await readExactly(s, 5)), 'hello');
            ctx.cluster.reboot(ip, 'Graceful', { gracePeriodMs: 1000, recoveryDelayMs: 100 });
            assert.equal(text(await readToEnd(s)), 'bye');
            for (let i = 0; i < 5; i++) {
              outcomes.push(await s.write(bytes('x')).then(() => 'ok', (err: unknown) => (err as IoError).code));
              await ctx.time.sleep(10);
            }
            s.abort();
          },
        }),
    );
    assert.ok(outcomes.slice(2).every((o) => o === 'ECONNRESET' || o === 'EPIPE'), `writes: ${outcomes.join(',')}`);
  });
});

// --- end of the chaos phase (builder) ----------------------------------------------------------

/** Echoes every connection until end of stream. */
function echoServer(): { name: string; run(ctx: SimContext): Promise<void> } {
  return {
    name: 'echo',
    async run(ctx) {
      const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
      for (;;) {
        const [s] = await listener.accept();
        void (async () => {
          try {
            for (let c = await s.read(); c !== null; c = await s.read()) await s.writeAll(c);
            await s.close();
          } catch {
            s.abort();
          }
        })();
      }
    },
  };
}

describe('network faults: end of the chaos phase (builder .chaosDuration)', () => {
  it('heals partitions: a connect blocked by a 10 s automatic partition completes soon after chaos ends', async () => {
    let connectedAt = Number.NaN;
    let faultTimes: number[] = [];
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(
          quietNetwork({ partitionProbability: 1, partitionDuration: durationRange(10_000, 10_001) }),
        )
        .chaosDuration(300)
        .processes(1, echoServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            await ctx.time.sleep(1); // let the server bind
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            connectedAt = ctx.time.now();
            await s.writeAll(bytes('after'));
            assert.equal(text(await readExactly(s, 5)), 'after');
            await s.close();
            faultTimes = ctx.eventLog<{ type: string }>(FAULT_LOG).all().map((e) => e.timeMs);
          },
        }),
    );
    assert.ok(faultTimes.length > 0, 'a partition was created');
    assert.ok(faultTimes.every((t) => t <= 300), `faults after chaos ended: ${faultTimes.join(',')}`);
    inRange(connectedAt, 300, 1300, 'connected after the heal at the end of chaos (ms)');
  });

  it('no new faults after chaos: bit flips stop, the exchange becomes byte-exact', async () => {
    const mismatchesAt: number[] = [];
    let okAfter = 0;
    let flips: number[] = [];
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(
          quietNetwork(
            { bitFlipProbability: 1, bitFlipMinBits: 1, bitFlipMaxBits: 1 },
            { writeLatency: durationRange(1, 2) },
          ),
        )
        .chaosDuration(100)
        .processes(1, echoServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            await ctx.time.sleep(1);
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            for (let i = 0; i < 50; i++) {
              const sentAt = ctx.time.now();
              const msg = patternBytes(64, i + 1);
              await s.writeAll(msg);
              const echoed = await readExactly(s, 64);
              if (hammingDistance(echoed, msg) !== 0) mismatchesAt.push(sentAt);
              else if (sentAt > 100) okAfter++;
              await ctx.time.sleep(10);
            }
            await s.close();
            flips = ctx.eventLog<{ type: string }>(FAULT_LOG).all().filter((e) => e.event.type === 'BitFlip').map((e) => e.timeMs);
          },
        }),
    );
    assert.ok(mismatchesAt.length >= 5, 'bit flips during chaos');
    assert.ok(mismatchesAt.every((t) => t < 100), `corruption after chaos: ${mismatchesAt.join(',')}`);
    assert.ok(flips.length > 0 && flips.every((t) => t <= 100));
    assert.ok(okAfter >= 40);
  });
});

// --- clock drift (builder) ---------------------------------------------------------------------

describe('network faults: clock drift (builder)', () => {
  async function drifts(config: NetworkConfiguration): Promise<number[]> {
    const out: number[] = [];
    const record = async (ctx: SimContext): Promise<void> => {
      const drift = ctx.time.timer() - ctx.time.now();
      await ctx.time.sleep(25);
      assert.ok(Math.abs(ctx.time.timer() - ctx.time.now() - drift) < 1e-6, 'drift is constant for a machine');
      out.push(drift);
    };
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(config)
        .processes(3, () => ({ name: 'p', run: record }))
        .workloads(2, () => ({ name: 'w', run: record })),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    return out;
  }

  it('every machine\'s timer() runs ahead of now() by [0, clockDriftMaxMs); 0 when disabled', async () => {
    const on = await drifts(quietNetwork({ clockDriftEnabled: true, clockDriftMaxMs: 40 }));
    assert.equal(on.length, 40);
    assert.ok(on.every((d) => d >= 0 && d < 40), `drifts: ${on.join(',')}`);
    assert.ok(new Set(on).size > 30, 'each machine draws its own drift');
    assert.ok(Math.max(...on) > 20);
    const off = await drifts(quietNetwork({ clockDriftEnabled: false, clockDriftMaxMs: 40 }));
    assert.deepEqual(new Set(off), new Set([0]));
    const disabled = await drifts(NetworkConfiguration.fastLocal());
    assert.deepEqual(new Set(disabled), new Set([0]));
  });
});

// --- everything disabled -----------------------------------------------------------------------

describe('network faults: ChaosConfiguration.disabled()', () => {
  it('a busy exchange with buggify always firing sees no fault, no short write, no delay', async () => {
    const config = NetworkConfiguration.validate({
      ...NetworkConfiguration.default(),
      chaos: ChaosConfiguration.disabled(),
    });
    const h = await net({ config, buggify: 'always' }, async (h, a, b, c) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      for (const m of [a, c, a, c]) {
        const t0 = h.nowMs();
        const [client, server] = await dial(m, listener);
        inRange(h.nowMs() - t0, 1, 17, 'connect + accept within the default latencies (ms)');
        const data = patternBytes(20_000, 5);
        const received = readToEnd(server);
        for (let i = 0; i < 20; i++) assert.equal(await client.write(data.subarray(i * 1000, (i + 1) * 1000)), 1000);
        await client.close();
        assert.deepEqual(await received, data);
      }
    });
    assert.equal(h.faults.length, 0);
    assert.deepEqual(h.buggifyCalls, []);
  });
});

// --- determinism -------------------------------------------------------------------------------

describe('network faults: determinism under random chaos (builder .randomNetwork())', () => {
  /** Clients talking to random servers through whatever the seed's chaos throws at them. */
  function chatty(log: string[]): SimulationBuilder {
    return new SimulationBuilder()
      .randomNetwork()
      .processes([2, 3], echoServer)
      .workloads(WorkloadCount.Fixed(3), (i) => ({
        name: `client${i}`,
        async run(ctx) {
          const ips = ctx.topology.processIps;
          const outcomes: string[] = [];
          await ctx.time.sleep(5);
          for (let round = 0; round < 12; round++) {
            const ip = ips[ctx.random.randomRange(0, ips.length)] as string;
            try {
              const s = await ctx.time.timeout(3000, ctx.network.connect(`${ip}:${PORT}`));
              const msg = patternBytes(ctx.random.randomRange(1, 3000), round + 1);
              await ctx.time.timeout(3000, s.writeAll(msg));
              const echoed = await ctx.time.timeout(3000, readExactly(s, msg.length));
              outcomes.push(hammingDistance(echoed, msg) === 0 ? 'ok' : 'corrupt');
              await s.close();
            } catch (err) {
              outcomes.push(err instanceof IoError ? err.code : err instanceof TimeoutError ? 'timeout' : 'error');
            }
            await ctx.time.sleep(ctx.random.randomRange(1, 50));
          }
          ctx.emit('outcomes', outcomes.join(','));
        },
        async check(ctx) {
          if (i !== 0) return;
          const faults = ctx.eventLog<{ type: string }>(FAULT_LOG).all().map((e) => e.event.type);
          const outcomes = ctx.eventLog<string>('outcomes').all().map((e) => `${e.source}:${e.event}`);
          log.push(`${faults.join('+')}|${outcomes.join(';')}`);
        },
      }));
  }

  it('the same seed gives the same trace hash, faults and outcomes twice', async () => {
    const seeds = [11, 12, 13, 14, 15, 16];
    const logs: string[][] = [[], []];
    const hashes: string[][] = [];
    for (const log of logs) {
      const report = await chatty(log).setDebugSeeds(seeds).run();
      for (const run of report.runs) assert.ok(run.ok, `seed ${run.seed}: ${run.error ?? ''}`);
      hashes.push(report.runs.map((r) => `${r.traceHash}/${r.events}/${r.simTimeMs}`));
    }
    assert.deepEqual(hashes[0], hashes[1]);
    assert.deepEqual(logs[0], logs[1]);
    assert.equal(new Set(hashes[0]).size, seeds.length, 'different seeds, different executions');
    assert.ok((logs[0] ?? []).some((l) => !l.startsWith('|')), 'some seed injected network faults');
  });
});
